package org.walj.storage.swift;

import java.net.URI;
import java.util.Objects;

/**
 * WAL-E's SWIFT_* credentials as python-swiftclient reads them. Optional fields are null when unset (WAL-E passes
 * them as None). The password never appears in {@link #toString}.
 *
 * @param authVersion  1 (tempauth: GET the auth URL with X-Auth-User/X-Auth-Key), 2 or 3 (keystone: POST a token
 *                     request, the storage URL from the token's service catalog)
 * @param endpointType the catalog endpoint: publicURL, internalURL or adminURL (v3: public, internal, admin)
 */
public record SwiftCredentials(int authVersion, URI authUrl, String user, String password, String region,
        String endpointType, String tenantName, String tenantId, String userId, String userDomainId,
        String userDomainName, String projectId, String projectName, String projectDomainId,
        String projectDomainName, String domainId, String domainName) {

    public SwiftCredentials {
        Objects.requireNonNull(authUrl, "authUrl");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(endpointType, "endpointType");
        if (authVersion < 1 || authVersion > 3) {
            throw new IllegalArgumentException("auth version must be 1, 2 or 3, not " + authVersion);
        }
        if (user == null && userId == null) {
            throw new IllegalArgumentException("a user name or user id is required");
        }
    }

    /** Tempauth (v1) credentials: {@code user} is tempauth's ACCOUNT:USER, {@code key} its key. */
    public static SwiftCredentials tempAuth(URI authUrl, String user, String key) {
        return new SwiftCredentials(1, authUrl, user, key, null, "publicURL", null, null, null, null, null, null, null,
                null, null, null, null);
    }

    /** Who is logging in, for messages: the user name or id, never the password. */
    public String who() {
        return user != null ? user : "id " + userId;
    }

    /** Keystone v3 calls the tenant a project; the project variables win, as in python-swiftclient. */
    String v3ProjectName() {
        return projectName != null ? projectName : tenantName;
    }

    String v3ProjectId() {
        return projectId != null ? projectId : tenantId;
    }

    @Override
    public String toString() {
        return "SwiftCredentials[v" + authVersion + ", " + authUrl + ", " + who() + ", ***]";
    }
}
