package org.walj.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.walj.storage.swift.SwiftServer;

/**
 * OpenStack Swift in the ITs: the JVM's shared Swift (Debian's servers, a one-node ring with tempauth, a separate
 * process tree) with the test container, WAL-E's SWIFT_* variables. Object names are WAL-E's: the path with its
 * leading slash, as on GCS.
 */
public final class SwiftStore implements ObjectStore {
    public static final String CONTAINER = "walj-it";

    private final SwiftServer server;

    private SwiftStore(SwiftServer server) {
        this.server = server;
    }

    /** Aborts the calling test (reported as skipped) where Swift is not installed. */
    public static SwiftStore start() {
        SwiftServer server = SwiftServer.shared();
        try {
            server.createContainer(CONTAINER);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new SwiftStore(server);
    }

    @Override
    public Map<String, String> archiveEnv(String pathPrefix) {
        Map<String, String> e = new LinkedHashMap<>();
        e.put("WALE_SWIFT_PREFIX", "swift://" + CONTAINER + "/" + pathPrefix);
        e.put("SWIFT_AUTHURL", server.authUrl());
        e.put("SWIFT_AUTH_VERSION", "1");
        e.put("SWIFT_USER", SwiftServer.USER);
        e.put("SWIFT_PASSWORD", server.key());
        return e;
    }

    @Override
    public List<String> names(String pathPrefix) {
        try {
            return server.names(CONTAINER, "/" + pathPrefix).stream().sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String objectName(String pathPrefix, String key) {
        return "/" + pathPrefix + key;
    }

    /** Leaves the shared server running for the next test; its JVM's shutdown hook stops it. */
    @Override
    public void close() {
    }
}
