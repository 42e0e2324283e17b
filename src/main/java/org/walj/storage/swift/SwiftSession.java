package org.walj.storage.swift;

import java.net.URI;
import java.util.Objects;

/**
 * What authentication yields: the account's storage URL ({@code http(s)://host/v1/AUTH_account}, no trailing slash)
 * and the token that every request carries. The token never appears in {@link #toString}.
 */
public record SwiftSession(URI storageUrl, String token) {
    public SwiftSession {
        Objects.requireNonNull(storageUrl, "storageUrl");
        Objects.requireNonNull(token, "token");
        String s = storageUrl.toString();
        if (s.endsWith("/")) {
            storageUrl = URI.create(s.substring(0, s.length() - 1));
        }
    }

    /** "Swift at scheme://host:port", for messages: never the account path's query or user info. */
    String server() {
        return "Swift at " + storageUrl.getScheme() + "://" + storageUrl.getRawAuthority().replaceFirst("^.*@", "");
    }

    @Override
    public String toString() {
        return "SwiftSession[" + storageUrl + ", ***]";
    }
}
