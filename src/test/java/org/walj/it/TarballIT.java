package org.walj.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.walj.it.harness.Exec;
import org.walj.it.harness.ProcessResult;
import org.walj.it.harness.Scratch;
import org.walj.it.harness.ScratchExtension;
import org.walj.it.harness.SyntheticSegment;

/**
 * The self-contained tarball ({@code ./mvnw package -Ptarball}, docs/packaging.md) on a host without a JDK: unpacked,
 * its {@code bin/wal-j} runs {@code version} and a wal-push/wal-fetch round trip with a {@code PATH} that holds only
 * the few programs the launcher uses (no java) and no {@code JAVA_HOME}, as the server's OS user. Skipped (reported
 * as skipped) when the build ran without the profile; .ci/run activates it.
 */
@ExtendWith(ScratchExtension.class)
class TarballIT {
    private static final String SEG = "0000000100000000000000C3";
    /** What the launcher runs besides java (docs/packaging.md): nothing else is on PATH. */
    private static final List<String> LAUNCHER_TOOLS = List.of("sh", "mkdir", "readlink", "rm", "mv", "touch");
    private static final Pattern NAME = Pattern.compile("wal-j-(.+)-linux-[^-]+\\.tar\\.gz");

    @Test
    void runsVersionAndAWalRoundTripWithoutAJdkOnPath(Scratch scratch) throws IOException {
        String property = System.getProperty("walj.tarball", "");
        assumeFalse(property.isBlank() || property.startsWith("${"),
                "no walj.tarball property: run through Maven (verify makes the tarball before the ITs)");
        Path tarball = Path.of(property);
        assertTrue(Files.isRegularFile(tarball), "the build's pre-integration-test step should have made " + tarball);
        Matcher name = NAME.matcher(tarball.getFileName().toString());
        assertTrue(name.matches(), tarball.toString());
        String version = name.group(1);

        Path unpacked = scratch.dir("unpacked");
        Exec.of("tar", "-xzf", tarball.toString(), "-C", unpacked.toString()).timeout(Duration.ofMinutes(3)).runOk();
        Path home = unpacked.resolve("wal-j-" + version);
        Path launcher = home.resolve("bin/wal-j");
        Path runtime = home.resolve("lib/wal-j/runtime");
        assertTrue(Files.isExecutable(launcher), launcher.toString());
        assertTrue(Files.isExecutable(runtime.resolve("bin/java")), "no bundled runtime in " + home);
        assertTrue(Files.isRegularFile(home.resolve("share/man/man1/wal-j-backup-push.1.gz")));
        assertTrue(Files.isRegularFile(home.resolve("share/bash-completion/completions/wal-j")));

        // jlink kept only what wal-j needs: no compiler, no jshell
        String modules = Exec.of(runtime.resolve("bin/java").toString(), "--list-modules").runOk().stdout();
        assertTrue(modules.contains("java.base@"), modules);
        assertFalse(modules.contains("java.compiler@") || modules.contains("jdk.jshell@"), modules);

        Path path = scratch.dir("path-without-java");
        for (String tool : LAUNCHER_TOOLS) {
            Files.createSymbolicLink(path.resolve(tool), Path.of(Exec.of("sh", "-c", "command -v " + tool).runOk()
                    .stdout().trim()));
        }
        ProcessResult noJava = noJdk(scratch, path, "/bin/sh", "-c", "command -v java").run();
        assertNotEquals(0, noJava.exitCode(), "java is on the test's PATH: " + noJava.describe());

        ProcessResult v = noJdk(scratch, path, launcher.toString(), "version").runOk();
        assertEquals(version, v.stdout().trim(), v.describe());

        Path archive = scratch.archive("archive");
        Path pgWal = scratch.dir("pg_wal");
        Path restore = scratch.dir("restore");
        Path segment = SyntheticSegment.write(scratch, pgWal, SEG, 16, 42);
        String prefix = "file://localhost" + archive;
        ProcessResult push = noJdk(scratch, path, launcher.toString(), "wal-push", segment.toString())
                .env("WALE_FILE_PREFIX", prefix).run();
        assertEquals(0, push.exitCode(), push.describe());
        assertTrue(Files.isRegularFile(archive.resolve("wal_005/" + SEG + ".lzo")), push.describe());

        Path fetched = restore.resolve("RECOVERYXLOG");
        ProcessResult fetch = noJdk(scratch, path, launcher.toString(), "wal-fetch", SEG, fetched.toString())
                .env("WALE_FILE_PREFIX", prefix).run();
        assertEquals(0, fetch.exitCode(), fetch.describe());
        assertArrayEquals(Files.readAllBytes(segment), Files.readAllBytes(fetched), "the segment came back changed");
    }

    /** As the server user, with PATH = only {@code path}, no JAVA_HOME, a class-data cache of this scratch tree. */
    private static Exec noJdk(Scratch scratch, Path path, String... command) {
        return Exec.of(command).as(scratch.user()).env("PATH", path.toString()).env("JAVA_HOME", null)
                .env("WALJ_CDS_DIR", scratch.dir("cds").toString()).timeout(Duration.ofMinutes(2));
    }
}
