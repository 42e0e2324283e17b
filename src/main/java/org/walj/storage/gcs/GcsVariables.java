package org.walj.storage.gcs;

import java.util.List;
import org.walj.UserException;
import org.walj.settings.Scope;
import org.walj.settings.Setting;
import org.walj.settings.VariableFamily;

/**
 * The GCS backend's settings (docs/gcs.md). Declarations only, no Google client class: the table of every setting
 * loads this without loading the client's jars.
 */
public final class GcsVariables {
    private static final Scope MATCH = Scope.MUST_MATCH_DAEMON;

    public static final Setting<Integer> REQUEST_TIMEOUT_SECONDS = Setting.integer("WALJ_GS_REQUEST_TIMEOUT_SECONDS",
            MATCH, 30, 1, 3600, "A stalled HTTP request fails after this long.");
    public static final Setting<GcsEndpoint> ENDPOINT = Setting.of("WALJ_GS_ENDPOINT", MATCH,
            GcsVariables::endpoint, null, "Another endpoint than Google's: http(s)://host:port.");
    public static final Setting<GcsEndpoint> EMULATOR_HOST = Setting.of("STORAGE_EMULATOR_HOST", MATCH,
            GcsVariables::endpoint, null, "The clients' common emulator variable, used when WALJ_GS_ENDPOINT is unset.");
    public static final Setting<String> CREDENTIALS = Setting.text("GOOGLE_APPLICATION_CREDENTIALS", MATCH,
            "Service-account key file (JSON); application-default credentials when unset.");
    public static final List<Setting<?>> ALL = List.of(REQUEST_TIMEOUT_SECONDS, ENDPOINT, EMULATOR_HOST, CREDENTIALS);
    /** The client library's own variables (GOOGLE_CLOUD_PROJECT, ...). */
    public static final VariableFamily CLIENT = new VariableFamily("GOOGLE_", MATCH,
            "Google's client library (project, credentials)");

    private GcsVariables() {
    }

    private static GcsEndpoint endpoint(String name, String text) {
        try {
            return GcsEndpoint.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UserException("invalid " + name + ": " + e.getMessage(), null,
                    "Give the endpoint as http://host:port or https://host:port.");
        }
    }
}
