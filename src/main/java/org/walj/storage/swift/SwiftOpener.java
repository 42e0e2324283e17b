package org.walj.storage.swift;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;

import org.walj.UserException;
import org.walj.settings.Setting;
import org.walj.settings.Settings;
import org.walj.storage.EndpointText;
import org.walj.storage.RetrySettings;
import org.walj.storage.Storage;

/**
 * Opens a swift:// prefix (docs/swift.md) from {@link SwiftVariables}, as WAL-E reads them (wal_e/cmd.py):
 * SWIFT_AUTHURL, SWIFT_USER and SWIFT_PASSWORD are needed whatever the auth version. A class apart from the
 * declarations so that the backend loads only for swift:// prefixes. Nothing is sent until the first request.
 */
public final class SwiftOpener {
    private SwiftOpener() {
    }

    public static Storage open(String container, String pathPrefix, Settings settings) {
        SwiftCredentials credentials = credentials(settings);
        SwiftConnection connection = SwiftConnection.create(credentials, container,
                Duration.ofSeconds(settings.value(SwiftVariables.REQUEST_TIMEOUT_SECONDS)));
        return new SwiftStorage(connection, pathPrefix, settings.value(SwiftVariables.SEGMENT_SIZE_MIB) << 20,
                settings.value(SwiftVariables.PARALLEL_SEGMENTS), RetrySettings.policy(settings));
    }

    static SwiftCredentials credentials(Settings settings) {
        URI authUrl = authUrl(required(settings, SwiftVariables.AUTHURL));
        int version = settings.value(SwiftVariables.AUTH_VERSION);
        String user = settings.get(SwiftVariables.USER).orElse(null);
        String userId = settings.get(SwiftVariables.USER_ID).orElse(null);
        if (user == null && (userId == null || version != 3)) {
            throw missing(SwiftVariables.USER);
        }
        String password = required(settings, SwiftVariables.PASSWORD);
        return new SwiftCredentials(version, authUrl, user, password,
                settings.get(SwiftVariables.REGION).orElse(null), settings.value(SwiftVariables.ENDPOINT_TYPE),
                optional(settings, SwiftVariables.TENANT), optional(settings, SwiftVariables.TENANT_ID), userId,
                optional(settings, SwiftVariables.USER_DOMAIN_ID), optional(settings, SwiftVariables.USER_DOMAIN_NAME),
                optional(settings, SwiftVariables.PROJECT_ID), optional(settings, SwiftVariables.PROJECT_NAME),
                optional(settings, SwiftVariables.PROJECT_DOMAIN_ID),
                optional(settings, SwiftVariables.PROJECT_DOMAIN_NAME),
                optional(settings, SwiftVariables.DOMAIN_ID), optional(settings, SwiftVariables.DOMAIN_NAME));
    }

    private static String optional(Settings settings, Setting<String> setting) {
        return settings.get(setting).orElse(null);
    }

    private static String required(Settings settings, Setting<String> setting) {
        return settings.get(setting).orElseThrow(() -> missing(setting));
    }

    private static UserException missing(Setting<String> setting) {
        return new UserException("Swift credentials are incomplete: " + setting.name() + " is not set", null,
                "Set SWIFT_AUTHURL, SWIFT_USER and SWIFT_PASSWORD (and SWIFT_TENANT, SWIFT_AUTH_VERSION for "
                        + "keystone) as for WAL-E.");
    }

    private static URI authUrl(String text) {
        String shown = EndpointText.redacted(text);
        try {
            URI uri = new URI(text.trim());
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                    && uri.getRawUserInfo() == null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new UserException("invalid SWIFT_AUTHURL: \"" + shown + "\"", null,
                "Give the auth URL as http(s)://host[:port]/path, without user info, e.g. "
                        + "https://keystone.example.com:5000/v3 or http://127.0.0.1:8080/auth/v1.0.");
    }
}
