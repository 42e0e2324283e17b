package org.walj.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Finds the external programs the integration tests drive. A missing program FAILS the test (never skips
 * it) with a message naming the package to install: CI installs them all (see .ci/run), so a skip would
 * only hide a broken CI machine.
 */
public final class Tools {

    private static final String CI_HINT = " (.ci/run installs everything the integration tests need)";

    private static volatile Path pgBin;

    private Tools() {
    }

    /** The absolute path of {@code program} on PATH, or a test failure telling what to install. */
    public static Path require(String program, String debianPackage) {
        return find(program).orElseThrow(() -> new AssertionError(program + " not found on PATH: install it"
                + " (Debian/Ubuntu: apt-get install " + debianPackage + ")" + CI_HINT));
    }

    public static Optional<Path> find(String program) {
        Set<String> dirs = new LinkedHashSet<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(":")));
        }
        dirs.addAll(List.of(Exec.SANE_PATH.split(":")));
        for (String dir : dirs) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate.toAbsolutePath());
            }
        }
        return Optional.empty();
    }

    /**
     * The directory of the PostgreSQL server programs (initdb, pg_ctl, postgres, psql, pgbench, pg_basebackup):
     * {@code -Dwalj.it.pgbin=DIR}, else env {@code WALJ_IT_PGBIN}, else the newest {@code /usr/lib/postgresql/N/bin}
     * (Debian's layout), else the directory of {@code initdb} on PATH.
     */
    /**
     * {@code env} with PostgreSQL's binaries first on PATH: {@code backup-push --while-offline} runs
     * {@code pg_controldata}, which Debian keeps off the default PATH.
     */
    public static Map<String, String> withPgBinOnPath(Map<String, String> env) {
        Map<String, String> out = new LinkedHashMap<>(env);
        out.put("PATH", pgBin() + ":" + Exec.SANE_PATH);
        return out;
    }

    public static Path pgBin() {
        Path found = pgBin;
        if (found == null) {
            found = locatePgBin();
            pgBin = found;
        }
        return found;
    }

    /** The path of one PostgreSQL program, e.g. {@code pg("pg_ctl")}. */
    public static Path pg(String program) {
        Path p = pgBin().resolve(program);
        if (!Files.isExecutable(p)) {
            throw new AssertionError(p + " is missing: install the PostgreSQL server and client"
                    + " (Debian: apt-get install postgresql-15 postgresql-client-15)" + CI_HINT);
        }
        return p;
    }

    private static Path locatePgBin() {
        List<Path> candidates = new ArrayList<>();
        String configured = System.getProperty("walj.it.pgbin", System.getenv("WALJ_IT_PGBIN"));
        if (configured != null && !configured.isBlank()) {
            Path dir = Path.of(configured);
            if (!Files.isExecutable(dir.resolve("initdb"))) {
                throw new AssertionError("walj.it.pgbin / WALJ_IT_PGBIN=" + configured + " has no initdb");
            }
            return dir;
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                versions.filter(v -> v.getFileName().toString().matches("\\d+(\\.\\d+)?"))
                        .sorted(Comparator.comparingDouble((Path v) -> Double.parseDouble(v.getFileName().toString()))
                                .reversed())
                        .map(v -> v.resolve("bin"))
                        .forEach(candidates::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        find("initdb").map(Path::getParent).ifPresent(candidates::add);
        for (Path dir : candidates) {
            if (Files.isExecutable(dir.resolve("initdb")) && Files.isExecutable(dir.resolve("pg_ctl"))) {
                return dir;
            }
        }
        throw new AssertionError("PostgreSQL server programs (initdb, pg_ctl) not found in /usr/lib/postgresql/*/bin"
                + " or on PATH: install them (Debian: apt-get install postgresql-15 postgresql-client-15)"
                + " or pass -Dwalj.it.pgbin=DIR" + CI_HINT);
    }
}
