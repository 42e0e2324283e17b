package org.walj.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Makes a base backup the way WAL-E lays one out, without wal-j's backup-push: {@code pg_basebackup -Ft} of a
 * running cluster, re-packed into {@code basebackups_005/base_<seg>_<off>/tar_partitions/part_0000000N.tar.lzo}
 * (compressed by the real {@code lzop -c}), {@code extended_version.txt}, and the sentinel JSON written last, with
 * the real start and stop positions from {@code pg_walfile_name_offset}.
 *
 * <p>As WAL-E: the top-level config files are left out, tablespace files are stored below
 * {@code pg_tblspc/<oid>/} and the tablespace symlink itself is not archived. Members are spread over
 * {@code partitions} partitions so the fetch extracts several at once (see {@link #partitionFor}).
 */
public final class WalEStyleBackup {
    private static final Set<String> WALE_EXCLUDED = Set.of("postgresql.conf", "pg_hba.conf", "pg_ident.conf",
            "postmaster.pid", "postmaster.opts", "recovery.conf", "recovery.done", "promote");
    private static final Pattern END_LSN = Pattern.compile("STOP WAL LOCATION: ([0-9A-F]+/[0-9A-F]+)");
    private static final Pattern START_FILE = Pattern.compile("START WAL LOCATION: [0-9A-F/]+ \\(file ([0-9A-F]{24})\\)");
    private static final Pattern START_LSN = Pattern.compile("START WAL LOCATION: ([0-9A-F]+/[0-9A-F]+)");

    /** What was pushed, to check backup-list against. */
    public record Pushed(String name, String startSegment, String startOffset, String stopSegment, String stopOffset,
                  long expandedSizeBytes, Path sentinel, List<Path> partitions) {
    }

    private WalEStyleBackup() {
    }

    /**
     * @param tablespaces OID → the directory it lives in on the source (for the sentinel's spec)
     */
    public static Pushed push(Scratch scratch, PgCluster source, Path archive, Map<String, Path> tablespaces, int partitions,
                       List<String> extraMembersAsFileNames) {
        try {
            Path tarDir = scratch.root().resolve("pg_basebackup-" + System.nanoTime());
            String stderr = source.tarBaseBackup(tarDir);
            String label = memberText(tarDir.resolve("base.tar"), "backup_label");
            Matcher start = START_LSN.matcher(label);
            if (!start.find()) {
                throw new AssertionError("no start LSN in backup_label:\n" + label);
            }
            // the stop LSN is in the backup history file pg_backup_stop wrote: <start file>.<start offset>.backup
            Matcher file = START_FILE.matcher(label);
            if (!file.find()) {
                throw new AssertionError("no start file in backup_label:\n" + label);
            }
            long lsnLow = Long.parseLong(start.group(1).split("/")[1], 16);
            Path history = source.pgWal().resolve(file.group(1) + String.format(".%08X.backup", lsnLow % (16L << 20)));
            String historyText = Files.readString(history);
            Matcher end = END_LSN.matcher(historyText);
            if (!end.find()) {
                throw new AssertionError("no stop LSN in " + history + ":\n" + historyText + "\n" + stderr);
            }
            String[] startPos = walFileOffset(source, start.group(1));
            String[] stopPos = walFileOffset(source, end.group(1));
            String name = "base_" + startPos[0] + "_" + startPos[1];
            Path dir = Files.createDirectories(archive.resolve("basebackups_005/" + name));
            Files.writeString(dir.resolve("extended_version.txt"), source.psql("SELECT version()"));

            Path staging = Files.createDirectories(scratch.root().resolve("repack-" + System.nanoTime()));
            List<TarArchiveOutputStream> outs = new ArrayList<>();
            List<Path> tars = new ArrayList<>();
            for (int i = 0; i < partitions; i++) {
                Path t = staging.resolve(String.format("part_%08d.tar", i));
                tars.add(t);
                TarArchiveOutputStream o = new TarArchiveOutputStream(Files.newOutputStream(t));
                o.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                o.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
                outs.add(o);
            }
            long[] expanded = {0};
            int[] n = {0};
            copyMembers(tarDir.resolve("base.tar"), "", outs, expanded, n);
            for (String oid : tablespaces.keySet()) {
                copyMembers(tarDir.resolve(oid + ".tar"), "pg_tblspc/" + oid + "/", outs, expanded, n);
            }
            for (String extra : extraMembersAsFileNames) {
                byte[] data = "crafted".getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry e = new TarArchiveEntry(extra, true);
                e.setSize(data.length);
                TarArchiveOutputStream o = outs.get(outs.size() - 1);
                o.putArchiveEntry(e);
                o.write(data);
                o.closeArchiveEntry();
            }
            for (TarArchiveOutputStream o : outs) {
                o.finish();
                o.close();
            }
            List<Path> objects = new ArrayList<>();
            Path parts = Files.createDirectories(dir.resolve("tar_partitions"));
            for (Path t : tars) {
                Path object = parts.resolve(t.getFileName() + ".lzo");
                Exec.of("sh", "-c", "lzop -c < \"$1\" > \"$2\"", "sh", t.toString(), object.toString()).runOk();
                objects.add(object);
            }

            StringBuilder spec = new StringBuilder("{\"base_prefix\": \"" + source.dataDir() + "/\", \"tablespaces\": [");
            spec.append(String.join(", ", tablespaces.keySet().stream().map(o -> "\"" + o + "\"").toList())).append("]");
            tablespaces.forEach((oid, loc) -> spec.append(", \"").append(oid).append("\": {\"loc\": \"").append(loc)
                    .append("/\", \"link\": \"pg_tblspc/").append(oid).append("\"}"));
            spec.append("}");
            Path sentinel = archive.resolve("basebackups_005/" + name + "_backup_stop_sentinel.json");
            Files.writeString(sentinel, "{\"wal_segment_backup_stop\": \"" + stopPos[0]
                    + "\", \"wal_segment_offset_backup_stop\": \"" + stopPos[1] + "\", \"expanded_size_bytes\": "
                    + expanded[0] + ", \"spec\": " + spec + "}");
            Scratch.deleteTree(staging);
            Scratch.deleteTree(tarDir);
            return new Pushed(name, startPos[0], startPos[1], stopPos[0], stopPos[1], expanded[0], sentinel, objects);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code pg_walfile_name_offset(lsn)}: the file name and the offset as WAL-E formats it (8 decimal digits). */
    private static String[] walFileOffset(PgCluster pg, String lsn) {
        String row = pg.psql("SELECT file_name || ' ' || lpad(file_offset::text, 8, '0') FROM pg_walfile_name_offset('"
                + lsn + "')");
        return row.split(" ");
    }

    private static void copyMembers(Path tar, String prefix, List<TarArchiveOutputStream> outs, long[] expanded,
                                    int[] n) throws IOException {
        try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(tar))) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                String name = e.getName();
                if (prefix.isEmpty() && (WALE_EXCLUDED.contains(name) || name.matches("pg_tblspc/[0-9]+/?")
                        && e.isSymbolicLink())) {
                    continue;
                }
                TarArchiveEntry copy = new TarArchiveEntry(prefix + name, e.getLinkFlag(), true);
                copy.setMode(e.getMode());
                copy.setModTime(e.getModTime());
                copy.setUserId(e.getLongUserId());
                copy.setGroupId(e.getLongGroupId());
                copy.setUserName(e.getUserName());
                copy.setGroupName(e.getGroupName());
                copy.setLinkName(e.getLinkName());
                copy.setSize(e.isFile() ? e.getSize() : 0);
                TarArchiveOutputStream out = outs.get(partitionFor(e, outs.size(), n[0]++));
                out.putArchiveEntry(copy);
                if (e.isFile()) {
                    in.transferTo(out);
                    expanded[0] += e.getSize();
                }
                out.closeArchiveEntry();
            }
        }
    }

    /**
     * Files of 1 MiB and more go to the last partition, everything else (global/pg_control included) round-robin
     * over the others: with {@code --pool-size 1} the big files are extracted last, after pg_control was seen.
     */
    private static int partitionFor(TarArchiveEntry e, int partitions, int index) {
        if (partitions == 1) {
            return 0;
        }
        if (e.isFile() && e.getSize() >= (1 << 20)) {
            return partitions - 1;
        }
        return index % (partitions - 1);
    }

    private static String memberText(Path tar, String member) throws IOException {
        try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(tar))) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                if (e.getName().equals(member)) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
        }
        throw new AssertionError(member + " not in " + tar);
    }

    /** Every partition passes {@code lzop -t} and lists with GNU {@code tar -t}: the layout is the real thing. */
    public static void checkWithRealTools(Pushed pushed) {
        for (Path p : pushed.partitions()) {
            Exec.of("lzop", "-t", p.toString()).runOk();
            Exec.of("bash", "-c", "set -o pipefail; lzop -dc < \"$1\" | tar -tf - > /dev/null", "sh", p.toString()).runOk();
        }
    }

    public static Map<String, Path> tablespaces(String oid, Path loc) {
        Map<String, Path> m = new LinkedHashMap<>();
        m.put(oid, loc);
        return m;
    }

}
