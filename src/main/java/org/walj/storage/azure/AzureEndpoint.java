package org.walj.storage.azure;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;
import org.walj.storage.EndpointText;

/**
 * The blob service URL: {@code https://ACCOUNT.blob.core.windows.net} by default, or what WALJ_WABS_ENDPOINT says
 * ({@code http(s)://host[:port][/path]}; Azurite and other emulators serve an account under a path,
 * {@code http://127.0.0.1:10000/devstoreaccount1}). No user info and no query: a SAS token in the URL would end up in
 * logs and errors, so it must come from WABS_SAS_TOKEN.
 */
public record AzureEndpoint(URI uri) {
    public AzureEndpoint {
        Objects.requireNonNull(uri, "uri");
    }

    /** Azure's public cloud endpoint of an account. */
    public static AzureEndpoint ofAccount(String account) {
        return new AzureEndpoint(URI.create("https://" + account + ".blob.core.windows.net"));
    }

    /** @throws IllegalArgumentException with a one-line reason that never repeats user info or a query */
    public static AzureEndpoint parse(String text) {
        String shown = EndpointText.redacted(text);
        URI uri;
        try {
            uri = new URI(text.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("\"" + shown + "\" is not a URL");
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new IllegalArgumentException("\"" + shown + "\" must start with http:// or https://");
        }
        if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("\"" + shown + "\" must not carry user info, a query or a fragment");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("\"" + shown + "\" names no host");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return new AzureEndpoint(URI.create(uri.getScheme() + "://" + uri.getRawAuthority() + path));
    }

    /** The URL as the client takes it, no trailing slash. */
    public String url() {
        return uri.toString();
    }
}
