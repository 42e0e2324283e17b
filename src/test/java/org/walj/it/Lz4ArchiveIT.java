package org.walj.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.walj.it.harness.ArchivingCluster;
import org.walj.it.harness.Compare;
import org.walj.it.harness.Exec;
import org.walj.it.harness.PgCluster;
import org.walj.it.harness.Scratch;
import org.walj.it.harness.ScratchExtension;
import org.walj.it.harness.Tools;
import org.walj.it.harness.WalJ;

/**
 * {@code --compression lz4} / {@code WALJ_COMPRESSION=lz4} end to end on a real PostgreSQL: a cluster archives
 * with LZ4 (base backup partitions and WAL as {@code .lz4}, every object checked by the real {@code lz4}), then its
 * archive_command is switched to the default LZO under load, so the archive holds both; a backup-fetch and a
 * recovery whose restore_command knows nothing about compression (it looks for {@code .lzo}, then {@code .lz4})
 * bring back every row.
 */
@ExtendWith(ScratchExtension.class)
class Lz4ArchiveIT {

    @Test
    void anArchiveHalfLz4HalfLzoRestoresRowForRow(Scratch scratch) throws IOException {
        Path lz4 = Tools.require("lz4", "lz4");
        Path lzop = Tools.require("lzop", "lzop");
        WalJ walj = WalJ.install(scratch);
        Path archive = scratch.archive("archive");
        Map<String, String> env = walj.fileArchiveEnv(archive);

        PgCluster source = PgCluster.initdb(scratch, "src")
                .configure(Map.of("archive_mode", "on",
                        "archive_command", walj.shellCommand("--compression", "lz4", "wal-push", "%p")))
                .configure(ArchivingCluster.SHORT_CHECKPOINTS)
                // keep the archived segments in pg_wal (no recycling): the .lz4 objects are compared with them below
                .configure(Map.of("wal_keep_size", "2GB", "max_wal_size", "4GB"))
                .serverEnv(env);
        source.start();
        source.pgbench(Duration.ofMinutes(2), "-i", "-s", "3", "-q");

        Map<String, String> pushEnv = new LinkedHashMap<>(env);
        pushEnv.put("WALJ_COMPRESSION", "lz4");
        pushEnv.putAll(source.clientEnv());
        walj.run(pushEnv, Duration.ofMinutes(3), "backup-push", source.dataDir().toString()).requireSuccess();
        source.pgbench(Duration.ofMinutes(1), "-t", "300", "-c", "2");
        source.waitArchived(source.switchWal(), Duration.ofMinutes(1));

        // the second half of the archive in WAL-E's LZO: archive_command is reloadable
        source.configure(Map.of("archive_command", walj.shellCommand("wal-push", "%p")));
        source.psql("SELECT pg_reload_conf()");
        source.psql("CREATE TABLE after_switch AS SELECT g AS id, md5(g::text) AS payload FROM generate_series(1, 5000) g");
        source.pgbench(Duration.ofMinutes(1), "-t", "300", "-c", "2");
        source.waitArchived(source.switchWal(), Duration.ofMinutes(1));
        assertEquals(0, source.archiverStats().failedCount(), "archive_command never failed");
        Map<String, Path> expected = new LinkedHashMap<>();
        for (String table : List.of("pgbench_accounts", "pgbench_history", "after_switch")) {
            Path dump = scratch.file("dumps/src-" + table + ".tsv");
            source.dumpTable(table, dump);
            expected.put(table, dump);
        }
        source.stop();

        // every object is what its suffix says, checked by the real tools; WAL objects hold the segment's bytes
        List<Path> objects;
        try (Stream<Path> s = Files.walk(archive)) {
            objects = s.filter(Files::isRegularFile).filter(p -> p.toString().matches(".*\\.lz[o4]")).sorted().toList();
        }
        long walLz4 = 0;
        long walLzo = 0;
        long partsLz4 = 0;
        long comparedWithPgWal = 0;
        Path out = scratch.file("lz4-out/plain");
        for (Path o : objects) {
            String name = o.getFileName().toString();
            boolean isLz4 = name.endsWith(".lz4");
            Exec.of((isLz4 ? lz4 : lzop).toString(), "-t", o.toString()).runOk();
            if (o.getParent().getFileName().toString().equals("wal_005")) {
                if (isLz4) {
                    walLz4++;
                    Files.deleteIfExists(out);
                    Exec.of(lz4.toString(), "-d", "-c", o.toString()).stdoutTo(out).runOk();
                    Path original = source.pgWal().resolve(name.substring(0, name.length() - 4));
                    if (Files.isRegularFile(original) && name.matches("[0-9A-F]{24}\\.lz4")) {
                        Compare.assertSameBytes(original, out, "lz4 -d of " + name);
                        comparedWithPgWal++;
                    }
                } else {
                    walLzo++;
                }
            } else if (isLz4 && name.startsWith("part_")) {
                partsLz4++;
                Exec.of("bash", "-c", "set -o pipefail; '" + lz4 + "' -dc '" + o + "' | tar -t >/dev/null").runOk();
            }
        }
        assertTrue(walLz4 >= 2 && walLzo >= 2, "a mixed archive: " + walLz4 + " .lz4 and " + walLzo + " .lzo WAL objects");
        assertTrue(comparedWithPgWal >= 1, "at least one .lz4 segment compared with pg_wal's own copy: " + objects);
        assertTrue(partsLz4 >= 2, "backup-push wrote .lz4 partitions (data and backup_label): " + objects);

        // restore with no compression configured: backup-fetch by suffix, wal-fetch finds .lz4 after .lzo
        PgCluster restored = PgCluster.unfilled(scratch, "restored");
        walj.run(env, "backup-fetch", restored.dataDir().toString(), "LATEST").requireSuccess();
        restored.adoptConfigurationOf(source).recoverWith(walj.shellCommand("wal-fetch", "%f", "%p"),
                env, Duration.ofMinutes(2));
        for (Map.Entry<String, Path> t : expected.entrySet()) {
            Path got = scratch.file("dumps/restored-" + t.getKey() + ".tsv");
            restored.dumpTable(t.getKey(), got);
            Compare.assertSameLines(t.getValue(), got, t.getKey() + " recovered from the mixed archive");
        }
        restored.stop();
    }
}
