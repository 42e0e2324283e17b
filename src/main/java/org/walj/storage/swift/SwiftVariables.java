package org.walj.storage.swift;

import java.util.List;
import org.walj.UserException;
import org.walj.settings.Scope;
import org.walj.settings.Setting;

/**
 * The Swift backend's settings (docs/swift.md): WAL-E's SWIFT_* names, read as WAL-E hands them to python-swiftclient
 * (wal_e/cmd.py), and wal-j's WALJ_SWIFT_* additions. Declarations only: the table of every setting loads this class
 * without loading the backend.
 */
public final class SwiftVariables {
    private static final Scope MATCH = Scope.MUST_MATCH_DAEMON;

    public static final Setting<String> AUTHURL = Setting.text("SWIFT_AUTHURL", MATCH,
            "Auth URL: tempauth's /auth/v1.0, keystone's v2.0 or v3 endpoint.");
    public static final Setting<String> USER = Setting.text("SWIFT_USER", MATCH,
            "User name (tempauth: ACCOUNT:USER).");
    public static final Setting<String> PASSWORD = Setting.secret("SWIFT_PASSWORD", MATCH,
            "Password (tempauth: the key).");
    public static final Setting<String> TENANT = Setting.text("SWIFT_TENANT", MATCH,
            "Keystone tenant (v3: project) name.");
    public static final Setting<String> REGION = Setting.text("SWIFT_REGION", MATCH,
            "Keystone catalog region of the object-store endpoint.");
    public static final Setting<String> ENDPOINT_TYPE = Setting.text("SWIFT_ENDPOINT_TYPE", MATCH, "publicURL",
            "publicURL, internalURL or adminURL: which catalog endpoint to use.");
    public static final Setting<Integer> AUTH_VERSION = Setting.of("SWIFT_AUTH_VERSION", MATCH,
            SwiftVariables::authVersion, 2, "1 (tempauth), 2 or 3 (keystone).");
    public static final Setting<String> DOMAIN_ID = Setting.text("SWIFT_DOMAIN_ID", MATCH,
            "Keystone v3: domain id of a domain-scoped token.");
    public static final Setting<String> DOMAIN_NAME = Setting.text("SWIFT_DOMAIN_NAME", MATCH,
            "Keystone v3: domain name of a domain-scoped token.");
    public static final Setting<String> TENANT_ID = Setting.text("SWIFT_TENANT_ID", MATCH,
            "Keystone tenant (v3: project) id.");
    public static final Setting<String> USER_ID = Setting.text("SWIFT_USER_ID", MATCH,
            "Keystone v3: user id instead of SWIFT_USER.");
    public static final Setting<String> USER_DOMAIN_ID = Setting.text("SWIFT_USER_DOMAIN_ID", MATCH,
            "Keystone v3: the user's domain id.");
    public static final Setting<String> USER_DOMAIN_NAME = Setting.text("SWIFT_USER_DOMAIN_NAME", MATCH,
            "Keystone v3: the user's domain name.");
    public static final Setting<String> PROJECT_ID = Setting.text("SWIFT_PROJECT_ID", MATCH,
            "Keystone v3: project id (wins over SWIFT_TENANT_ID).");
    public static final Setting<String> PROJECT_NAME = Setting.text("SWIFT_PROJECT_NAME", MATCH,
            "Keystone v3: project name (wins over SWIFT_TENANT).");
    public static final Setting<String> PROJECT_DOMAIN_ID = Setting.text("SWIFT_PROJECT_DOMAIN_ID", MATCH,
            "Keystone v3: the project's domain id.");
    public static final Setting<String> PROJECT_DOMAIN_NAME = Setting.text("SWIFT_PROJECT_DOMAIN_NAME", MATCH,
            "Keystone v3: the project's domain name.");
    public static final Setting<Integer> SEGMENT_SIZE_MIB = Setting.integer("WALJ_SWIFT_SEGMENT_SIZE_MIB", MATCH, 16,
            1, 5 * 1024, "Objects this large or larger are uploaded as static large objects of segments this size.");
    public static final Setting<Integer> PARALLEL_SEGMENTS = Setting.integer("WALJ_SWIFT_PARALLEL_SEGMENTS", MATCH, 3,
            1, 64, "Segments uploaded at once per object.");
    public static final Setting<Integer> REQUEST_TIMEOUT_SECONDS = Setting.integer(
            "WALJ_SWIFT_REQUEST_TIMEOUT_SECONDS", MATCH, 30, 1, 3600, "A stalled HTTP request fails after this long.");
    public static final List<Setting<?>> ALL = List.of(AUTHURL, USER, PASSWORD, TENANT, REGION, ENDPOINT_TYPE,
            AUTH_VERSION, DOMAIN_ID, DOMAIN_NAME, TENANT_ID, USER_ID, USER_DOMAIN_ID, USER_DOMAIN_NAME, PROJECT_ID,
            PROJECT_NAME, PROJECT_DOMAIN_ID, PROJECT_DOMAIN_NAME, SEGMENT_SIZE_MIB, PARALLEL_SEGMENTS,
            REQUEST_TIMEOUT_SECONDS);

    private SwiftVariables() {
    }

    /** python-swiftclient's spellings: 1, 1.0, 2, 2.0, 3, 3.0. */
    static int authVersion(String name, String text) {
        switch (text.trim()) {
            case "1", "1.0":
                return 1;
            case "2", "2.0":
                return 2;
            case "3", "3.0":
                return 3;
            default:
                throw new UserException("invalid " + name + ": \"" + text.trim() + "\"", null,
                        "Use 1 (tempauth), 2 (keystone v2.0) or 3 (keystone v3).");
        }
    }
}
