package org.walj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walj.testsupport.Orphans;

/**
 * A file:// wal-push in a fresh JVM loads no class of a cloud SDK and none of the cloud backends' opening code: each
 * client library loads only for its own scheme, so the cold wal-push of the file backend stays as cheap as it was.
 * The settings declarations (S3Variables, GcsVariables, AzureVariables, SwiftVariables) do load: the table of every setting names
 * them, and they import no SDK class (nor does {@code S3Opener.Options}, the record of the S3 options).
 */
class BackendClassLoadingTest {
    private static final List<String> FORBIDDEN = List.of("com.azure.", "reactor.", "software.amazon.",
            "com.google.cloud.", "io.grpc.", "org.walj.storage.azure.AzureOpener ", "org.walj.storage.azure.AzureStorage ",
            "org.walj.storage.azure.AzureClient ", "org.walj.storage.s3.S3Storage ", "org.walj.storage.gcs.GcsOpener ",
            "org.walj.storage.swift.SwiftOpener ", "org.walj.storage.swift.SwiftStorage ",
            "org.walj.storage.swift.SwiftConnection ", "org.walj.storage.swift.SwiftAuthenticator ");

    @Test
    void fileWalPushLoadsNoCloudClient(@TempDir Path dir) throws Exception {
        Path archive = Files.createDirectories(dir.resolve("archive/wal_005")).getParent();
        Path history = Files.createDirectories(dir.resolve("pg_wal")).resolve("00000002.history");
        Files.writeString(history, "1\t0/3000000\tno recovery target specified\n");
        Path log = dir.resolve("classes.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xlog:class+load=info:file=" + log, "-cp",
                System.getProperty("java.class.path"), "org.walj.cli.Main", "wal-push", history.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("out.log").toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("WALE_") || k.startsWith("WALJ_") || k.startsWith("WABS_")
                || k.startsWith("AWS_") || k.startsWith("GOOGLE_") || k.startsWith("SWIFT_"));
        env.put("WALE_FILE_PREFIX", "file://localhost" + archive);
        env.put("WALE_LOG_DESTINATION", "stderr");
        Process p = pb.start();
        Orphans.child(p.toHandle());
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "wal-push did not finish");
        assertEquals(0, p.exitValue(), Files.readString(dir.resolve("out.log")));
        assertTrue(Files.exists(archive.resolve("wal_005/00000002.history.lzo")));
        List<String> loaded = Files.readAllLines(log);
        assertTrue(loaded.stream().anyMatch(l -> l.contains(" org.walj.storage.file.FileStorage ")),
                "the class-load log must show the file backend, or it proves nothing");
        for (String prefix : FORBIDDEN) {
            List<String> hits = loaded.stream().filter(l -> l.contains("] " + prefix)).limit(3).toList();
            assertTrue(hits.isEmpty(), "a file:// wal-push loaded " + prefix + "*: " + hits);
        }
    }
}
