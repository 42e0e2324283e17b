package org.walj.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What {@code --while-offline} needs from a stopped cluster, read as WAL-E read it: {@code pg_config} (from PATH)
 * names the server's {@code BINDIR} and {@code VERSION}; {@code <BINDIR>/pg_controldata <datadir>} gives the last
 * checkpoint. Programs run with {@code LC_ALL=C} because pg_controldata translates its labels.
 *
 * @param version       pg_config's {@code VERSION} line, e.g. {@code PostgreSQL 15.18 (Debian 15.18-0+deb12u1)}
 * @param state         {@code Database cluster state}, e.g. {@code shut down}
 * @param redo          {@code Latest checkpoint's REDO location}
 * @param timeline      {@code Latest checkpoint's TimeLineID}
 * @param segmentSize   {@code Bytes per WAL segment}
 */
public record ControlData(String version, String state, Lsn redo, long timeline, WalSegmentSize segmentSize) {

    /** True for a cluster stopped cleanly (a primary, or a standby stopped in recovery). */
    public boolean cleanlyShutDown() {
        return state.equals("shut down") || state.equals("shut down in recovery");
    }

    public WalPosition redoPosition() {
        return WalPosition.of(redo, timeline, segmentSize);
    }

    public static ControlData read(Path dataDirectory, Path pgConfig) throws IOException {
        Map<String, String> config = keyValues(run(List.of(pgConfig.toString())), " = ");
        String bindir = require(config, "BINDIR", "pg_config");
        String version = require(config, "VERSION", "pg_config");
        Path controldata = Path.of(bindir, "pg_controldata");
        Map<String, String> control = keyValues(run(List.of(controldata.toString(), dataDirectory.toString())), ":");
        try {
            return new ControlData(version,
                    require(control, "Database cluster state", "pg_controldata"),
                    Lsn.parse(require(control, "Latest checkpoint's REDO location", "pg_controldata")),
                    Long.parseLong(require(control, "Latest checkpoint's TimeLineID", "pg_controldata")),
                    new WalSegmentSize(Long.parseLong(require(control, "Bytes per WAL segment", "pg_controldata"))));
        } catch (IllegalArgumentException e) {
            throw new IOException("cannot understand pg_controldata output: " + e.getMessage());
        }
    }

    /** {@code pg_config} from PATH, as WAL-E found it. */
    public static Path findPgConfig(String path) throws IOException {
        for (String dir : (path == null ? "" : path).split(":")) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir, "pg_config");
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        throw new IOException("could not find pg_config on PATH: --while-offline needs it to find pg_controldata");
    }

    private static String require(Map<String, String> values, String key, String program) throws IOException {
        String v = values.get(key);
        if (v == null) {
            throw new IOException(program + " did not report \"" + key + "\"");
        }
        return v;
    }

    private static Map<String, String> keyValues(String output, String separator) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            int at = line.indexOf(separator);
            if (at > 0) {
                m.putIfAbsent(line.substring(0, at).strip(), line.substring(at + separator.length()).strip());
            }
        }
        return m;
    }

    private static String run(List<String> command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true);
        pb.environment().put("LC_ALL", "C");
        pb.environment().put("LANG", "C");
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IOException("could not run " + command.get(0) + ": " + e.getMessage());
        }
        p.getOutputStream().close();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readNBytes(1 << 20), StandardCharsets.UTF_8);
        }
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(command.get(0) + " did not finish within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted while running " + command.get(0));
        }
        if (p.exitValue() != 0) {
            String first = out.strip().lines().findFirst().orElse("");
            throw new IOException(command.get(0) + " failed with exit status " + p.exitValue() + ": " + first);
        }
        return out;
    }
}
