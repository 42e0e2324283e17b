package org.walj.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.walj.UserException;
import org.walj.layout.RestoreSpec;
import org.walj.layout.Tablespace;

/**
 * Where backup-fetch puts tablespaces outside the data directory, and the checks before any is created. The locations
 * come from the sentinel (archive content, untrusted) or from a {@code --restore-spec} file: a restore creates
 * directories at recorded places only when the operator asked for it ({@code --restore-spec}), and every location,
 * whatever its source, must be a plain absolute path of its own, outside the data directory and every other
 * tablespace, and may not carry control characters (a newline would forge {@code tablespace_map} lines).
 */
final class TablespaceRestore {
    private TablespaceRestore() {
    }

    /** Where one tablespace goes: its OID and a checked, normalized absolute location. */
    record Placement(String oid, Path location) {
    }

    /**
     * Checks the spec's tablespaces before anything is created and returns where each goes.
     *
     * @param specGiven whether the operator gave {@code --restore-spec} (SOURCE or a file); without it a backup with
     *                  tablespaces is refused, listing the recorded locations
     */
    static List<Placement> plan(Path data, RestoreSpec spec, boolean specGiven) throws IOException {
        return plan(data, spec, specGiven, false);
    }

    /**
     * As {@link #plan(Path, RestoreSpec, boolean)}; {@code delta}: a tablespace directory may hold files already
     * (a delta restore compares them with the manifest instead of refusing them).
     */
    static List<Placement> plan(Path data, RestoreSpec spec, boolean specGiven, boolean delta) throws IOException {
        if (spec.tablespaces().isEmpty()) {
            return List.of();
        }
        if (!specGiven) {
            throw new UserException("refusing to create tablespace directories where the backup records them: "
                    + spec.tablespaces().stream().map(t -> "tablespace " + t.oid() + " at " + quoted(t.location()))
                    .collect(Collectors.joining(", ")),
                    "The locations come from the backup's sentinel; backup-fetch writes there only when told to.",
                    "Give --restore-spec SOURCE to restore each tablespace where it was, --restore-spec FILE to "
                            + "choose other places, or --blind-restore to keep tablespaces inside the data directory.");
        }
        Path realData = realish(data);
        List<Placement> placements = new ArrayList<>();
        List<Path> real = new ArrayList<>();
        for (Tablespace t : spec.tablespaces()) {
            if (!t.link().equals("pg_tblspc/" + t.oid())) {
                throw new UserException("tablespace " + t.oid() + " has the link " + quoted(t.link())
                        + "; only pg_tblspc/" + t.oid() + " is restored", null, "Fix the restore spec.");
            }
            Path loc = checkedLocation(t);
            Path r = realish(loc);
            if (r.startsWith(realData) || realData.startsWith(r)) {
                throw new UserException("tablespace " + t.oid() + " location " + loc + " overlaps the data directory "
                        + data, null, "Relocate the tablespace with --restore-spec FILE, or use --blind-restore.");
            }
            if (real.stream().anyMatch(l -> l.startsWith(r) || r.startsWith(l))) {
                throw new UserException("tablespace " + t.oid() + " location " + loc
                        + " overlaps another tablespace's", null, "Give each tablespace its own directory.");
            }
            if (!delta) {
                BackupFetch.requireEmptyOrMissing(loc, "tablespace " + t.oid() + " directory");
            } else if (Files.exists(loc, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(loc)) {
                throw new UserException("the tablespace " + t.oid() + " directory " + loc
                        + " exists and is not a directory", null, "Give the path of a directory.");
            }
            placements.add(new Placement(t.oid(), loc));
            real.add(r);
        }
        return placements;
    }

    /** The location as a path: absolute, normalized, not {@code /}, no control characters; one trailing / allowed. */
    private static Path checkedLocation(Tablespace t) {
        String loc = t.location();
        String why = null;
        if (loc.chars().anyMatch(TablespaceRestore::isControl)) {
            why = "contains a control character";
        } else if (!loc.startsWith("/")) {
            why = "is not absolute";
        } else {
            String p = loc.endsWith("/") ? loc.substring(0, loc.length() - 1) : loc;
            if (p.isEmpty()) {
                why = "is the root directory";
            } else {
                for (String segment : p.substring(1).split("/", -1)) {
                    if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                        why = "is not a normalized path (it has an empty, \".\" or \"..\" segment)";
                        break;
                    }
                }
            }
        }
        if (why != null) {
            throw new UserException("tablespace " + t.oid() + " location " + quoted(loc) + " " + why, null,
                    "Give a plain absolute directory as \"loc\" with --restore-spec FILE.");
        }
        return Path.of(loc);
    }

    private static boolean isControl(int c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029;
    }

    /** A location for a message, on one line: control characters shown as {@code \\uXXXX}. */
    static String quoted(String s) {
        StringBuilder b = new StringBuilder("\"");
        s.chars().forEach(c -> b.append(isControl(c) ? String.format("\\u%04x", c) : String.valueOf((char) c)));
        return b.append('"').toString();
    }

    /**
     * The path with its longest existing ancestor resolved to its real path: what the kernel would write to, also
     * when a parent is a symlink (into the data directory, say) or the path does not exist yet.
     */
    private static Path realish(Path p) throws IOException {
        Path existing = p;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return p;
        }
        return existing.toRealPath().resolve(existing.relativize(p));
    }

    /** Makes each tablespace's directory (0700) and its {@code pg_tblspc/<oid>} symlink. */
    static Map<String, Path> create(Path data, List<Placement> placements) throws IOException {
        Map<String, Path> out = locations(placements);
        link(data, placements);
        return out;
    }

    /** Makes each tablespace's directory (0700) unless it exists; OID to its real path. */
    static Map<String, Path> locations(List<Placement> placements) throws IOException {
        Map<String, Path> out = new LinkedHashMap<>();
        for (Placement p : placements) {
            if (!Files.exists(p.location(), LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(p.location());
                Files.setPosixFilePermissions(p.location(), PosixFilePermissions.fromString("rwx------"));
            }
            out.put(p.oid(), p.location().toRealPath());
        }
        return out;
    }

    /** Makes each tablespace's {@code pg_tblspc/<oid>} symlink (nothing may be at its path). */
    static void link(Path data, List<Placement> placements) throws IOException {
        if (placements.isEmpty()) {
            return;
        }
        Path tblspc = data.resolve("pg_tblspc");
        if (!Files.isDirectory(tblspc, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectory(tblspc);
            Files.setPosixFilePermissions(tblspc, PosixFilePermissions.fromString("rwx------"));
        }
        for (Placement p : placements) {
            Files.createSymbolicLink(tblspc.resolve(p.oid()), p.location());
        }
    }

    /** PostgreSQL's tablespace_map lines ({@code <oid> <path>}) for where the tablespaces were restored. */
    static String tablespaceMap(Map<String, Path> restored) {
        StringBuilder b = new StringBuilder();
        restored.forEach((oid, path) -> b.append(oid).append(' ').append(path).append('\n'));
        return b.toString();
    }
}
