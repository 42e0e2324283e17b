package org.walj.it.harness;

import org.walj.testsupport.Orphans;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One real PostgreSQL cluster in a {@link Scratch} tree, driven through the server's own programs
 * (initdb, pg_ctl, psql, pgbench, pg_basebackup) as the server's OS user.
 *
 * <p>Layout: {@code <scratch>/<name>/data} (PGDATA), {@code <name>/run} (the unix socket; no TCP:
 * {@code listen_addresses=''}), {@code <name>/server.log} (outside PGDATA, so a base backup does not copy it).
 * Settings are appended to {@code postgresql.conf}; later lines win, which is how a restored copy overrides
 * what it inherited from its source. {@link #close()} stops the server (fast, then immediate, then kill) and
 * is safe to call at any time; the {@link Scratch} deletes the files.
 *
 * <p>Every failure message includes the tail of the server log.
 */
public final class PgCluster implements AutoCloseable {
    /** Transactions per second of every timed pgbench load ({@code -T}) that does not set its own {@code -R}. */
    private static final String LOAD_RATE = "200";

    /** The database superuser made by initdb. */
    public static final String SUPERUSER = "postgres";

    private static final Pattern WAL_FILE = Pattern.compile("[0-9A-F]{24}");
    private static final int LOG_TAIL = 60;

    private final Scratch scratch;
    private final String name;
    private final Path home;
    private final Path data;
    private final Path run;
    private final Path log;
    private final int port;
    private final Map<String, String> serverEnv = new LinkedHashMap<>();

    private PgCluster(Scratch scratch, String name) {
        if (!name.matches("[A-Za-z0-9_-]{1,20}")) {
            throw new IllegalArgumentException("cluster name must be short and plain: " + name);
        }
        this.scratch = scratch;
        this.name = name;
        this.home = scratch.dir(name);
        this.data = home.resolve("data");
        this.run = scratch.dir(name + "/run");
        this.log = home.resolve("server.log");
        this.port = freePort();
        scratch.register(this);
    }

    /** {@code initdb} a new cluster (trust auth, superuser {@code postgres}, UTF8, C locale) with base settings. */
    public static PgCluster initdb(Scratch scratch, String name) {
        PgCluster c = new PgCluster(scratch, name);
        c.exec(Tools.pg("initdb").toString(), "-D", c.data.toString(), "-U", SUPERUSER, "--auth=trust",
                        "-E", "UTF8", "--no-locale", "--no-sync")
                .timeout(Duration.ofSeconds(120)).runOk();
        c.writeBaseSettings();
        return c;
    }

    /**
     * Takes {@code pg_basebackup -X none -c fast} of this running cluster into a new cluster named {@code name}
     * (not started). Without WAL in it, the copy can only be started by recovering from an archive. The copy
     * gets its own port and socket, and {@code archive_mode=off} so it never writes into its source's archive
     * unless the test configures that.
     *
     * <p>With {@code -X none} pg_basebackup waits until the WAL the backup needs has been archived, so when this
     * returns, archive_command has worked at least up to the end of the backup.
     */
    public PgCluster baseBackup(String name, Duration timeout) {
        PgCluster copy = new PgCluster(scratch, name);
        ProcessResult r = exec(Tools.pg("pg_basebackup").toString(), "-h", run.toString(), "-p", Integer.toString(port),
                "-U", SUPERUSER, "-D", copy.data.toString(), "-X", "none", "-c", "fast", "--no-sync",
                "-l", "walj-it " + name)
                .timeout(timeout).run();
        if (!r.succeeded()) {
            throw failure("pg_basebackup of " + this.name + " failed", r);
        }
        copy.writeBaseSettings();
        copy.configure(Map.of("archive_mode", "off"));
        return copy;
    }

    public PgCluster baseBackup(String name) {
        return baseBackup(name, Duration.ofMinutes(3));
    }

    /**
     * A streaming standby of this running cluster, as an operator makes one: {@code pg_basebackup -R -X stream -C -S
     * slot} writes {@code standby.signal} and {@code primary_conninfo}/{@code primary_slot_name} into
     * {@code postgresql.auto.conf}, and creates the replication slot on this cluster. Not started; its own port and
     * socket, {@code archive_mode=off}.
     */
    public PgCluster streamingStandby(String name, String slot) {
        PgCluster standby = new PgCluster(scratch, name);
        ProcessResult r = exec(Tools.pg("pg_basebackup").toString(), "-h", run.toString(), "-p", Integer.toString(port),
                "-U", SUPERUSER, "-D", standby.data.toString(), "-R", "-X", "stream", "-C", "-S", slot, "-c", "fast",
                "--no-sync", "-l", "walj-it standby " + name)
                .timeout(Duration.ofMinutes(3)).run();
        if (!r.succeeded()) {
            throw failure("pg_basebackup -R of " + this.name + " failed", r);
        }
        standby.writeBaseSettings();
        standby.configure(Map.of("archive_mode", "off"));
        return standby;
    }

    /** On a standby: waits until it has replayed the WAL up to {@code lsn} (a primary's {@link #currentWalLsn}). */
    public void waitReplayed(String lsn, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (psql("SELECT pg_last_wal_replay_lsn() >= '" + lsn + "'::pg_lsn").equals("t")) {
                return;
            }
            sleep(200);
        }
        throw new AssertionError(name + " did not replay up to " + lsn + " within " + timeout.toSeconds() + " s\n"
                + logTailSection());
    }

    /** {@code pg_ctl promote -w}: a standby becomes a primary on a new timeline. */
    public void promote() {
        ProcessResult r = exec(Tools.pg("pg_ctl").toString(), "promote", "-D", data.toString(), "-w", "-t", "60")
                .timeout(Duration.ofSeconds(90)).run();
        if (!r.succeeded()) {
            throw failure("pg_ctl promote of " + name + " failed", r);
        }
    }

    /**
     * {@code pg_basebackup -Ft -X none -c fast -v -D dir}: {@code base.tar} (with {@code backup_label}, like a
     * WAL-E exclusive-mode backup) plus {@code <oid>.tar} per tablespace. Returns pg_basebackup's stderr, which
     * names the end LSN ({@code write-ahead log end point: X/Y}).
     */
    public String tarBaseBackup(Path dir) {
        ProcessResult r = exec(Tools.pg("pg_basebackup").toString(), "-h", run.toString(), "-p", Integer.toString(port),
                "-U", SUPERUSER, "-D", dir.toString(), "-Ft", "-X", "none", "-c", "fast", "-v", "--no-sync",
                "--no-manifest", "-l", "walj-it tar backup")
                .timeout(Duration.ofMinutes(3)).run();
        if (!r.succeeded()) {
            throw failure("pg_basebackup -Ft of " + this.name + " failed", r);
        }
        return r.stderr();
    }

    /**
     * A cluster whose data directory the test fills itself, e.g. by extracting a WAL-E backup with lzop and tar;
     * call {@link #adoptConfigurationOf} once it is filled.
     */
    public static PgCluster unfilled(Scratch scratch, String name) {
        return new PgCluster(scratch, name);
    }

    /**
     * After the data directory was filled from a backup of {@code source}: copies the source's configuration files
     * (WAL-E does not back them up; an operator restores them the same way), appends this cluster's own port and
     * socket with {@code archive_mode=off}, and makes the directory the server's, mode 0700, as PostgreSQL demands.
     */
    public PgCluster adoptConfigurationOf(PgCluster source) {
        try {
            for (String f : List.of("postgresql.conf", "pg_hba.conf", "pg_ident.conf")) {
                Files.copy(source.data.resolve(f), data.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            Files.setPosixFilePermissions(data, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
            try (var files = Files.walk(data)) {
                for (Path p : files.toList()) {
                    scratch.user().own(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        writeBaseSettings();
        configure(Map.of("archive_mode", "off"));
        return this;
    }

    // ---------------------------------------------------------------- configuration

    private void writeBaseSettings() {
        Map<String, String> base = new LinkedHashMap<>();
        base.put("listen_addresses", "");
        base.put("port", Integer.toString(port));
        base.put("unix_socket_directories", run.toString());
        base.put("wal_level", "replica");
        base.put("max_wal_senders", "4");
        base.put("max_connections", "30");
        // Test speed only: fsync does not change a byte of the WAL that is archived.
        base.put("fsync", "off");
        base.put("logging_collector", "off");
        base.put("log_line_prefix", "%m [%p] %b: ");
        base.put("log_checkpoints", "on");
        appendSettings("base settings for " + name, base);
    }

    /** Appends settings to postgresql.conf (values are quoted for you). Takes effect at the next start. */
    public PgCluster configure(Map<String, String> settings) {
        appendSettings("test settings", settings);
        return this;
    }

    public PgCluster set(String setting, String value) {
        return configure(Map.of(setting, value));
    }

    private void appendSettings(String comment, Map<String, String> settings) {
        StringBuilder sb = new StringBuilder("\n# --- wal-j integration test fixture: ").append(comment).append('\n');
        settings.forEach((k, v) -> {
            if (!k.matches("[a-z_.]+")) {
                throw new IllegalArgumentException("bad setting name: " + k);
            }
            sb.append(k).append(" = '").append(v.replace("\\", "\\\\").replace("'", "''")).append("'\n");
        });
        try {
            Files.writeString(data.resolve("postgresql.conf"), sb, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * An environment variable for the server process, and so for archive_command and restore_command (which also get
     * the scratch's {@link Scratch#runtimeEnv()} unless set here: their daemons started on demand are the test's).
     */
    public PgCluster serverEnv(String variable, String value) {
        serverEnv.put(variable, value);
        return this;
    }

    public PgCluster serverEnv(Map<String, String> variables) {
        serverEnv.putAll(variables);
        return this;
    }

    /** Creates {@code recovery.signal}: the next start is a targeted archive recovery using restore_command. */
    public PgCluster createRecoverySignal() {
        Path signal = data.resolve("recovery.signal");
        try {
            Files.deleteIfExists(signal);
            Files.createFile(signal);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        scratch.user().own(signal);
        return this;
    }

    // ---------------------------------------------------------------- lifecycle

    public void start() {
        start(Duration.ofSeconds(60));
    }

    /** {@code pg_ctl start -w}: returns once the server accepts connections (for a recovering one: once consistent). */
    public void start(Duration timeout) {
        long secs = Math.max(1, timeout.toSeconds());
        ProcessResult r = exec(Tools.pg("pg_ctl").toString(), "start", "-D", data.toString(), "-l", log.toString(),
                "-w", "-t", Long.toString(secs))
                .env(scratch.runtimeEnv()).env(serverEnv).timeout(timeout.plusSeconds(30)).run();
        Orphans.postgres(data); // even a failed start may have left a postmaster
        if (!r.succeeded()) {
            throw failure("pg_ctl start of " + name + " failed", r);
        }
    }

    /** {@code pg_ctl stop -m fast}; fails the test if the server does not stop. */
    public void stop() {
        if (!isRunning()) {
            return;
        }
        ProcessResult r = pgCtlStop("fast");
        if (!r.succeeded()) {
            throw failure("pg_ctl stop of " + name + " failed", r);
        }
    }

    private ProcessResult pgCtlStop(String mode) {
        return exec(Tools.pg("pg_ctl").toString(), "stop", "-D", data.toString(), "-m", mode, "-w", "-t", "60")
                .timeout(Duration.ofSeconds(90)).run();
    }

    /** True while a postmaster runs on this data directory ({@code pg_ctl status}). */
    public boolean isRunning() {
        if (!Files.exists(data.resolve("postmaster.pid"))) {
            return false;
        }
        return exec(Tools.pg("pg_ctl").toString(), "status", "-D", data.toString()).run().succeeded();
    }

    /** Stops the server whatever state it is in: fast, then immediate, then SIGKILL. Never throws. */
    @Override
    public void close() {
        try {
            if (!Files.exists(data.resolve("postmaster.pid"))) {
                return;
            }
            if (pgCtlStop("fast").succeeded() || pgCtlStop("immediate").succeeded()) {
                return;
            }
            List<String> pid = Files.readAllLines(data.resolve("postmaster.pid"));
            if (!pid.isEmpty()) {
                ProcessHandle.of(Long.parseLong(pid.get(0).trim())).ifPresent(ProcessHandle::destroyForcibly);
            }
        } catch (IOException | RuntimeException | AssertionError e) {
            System.err.println("could not stop cluster " + name + ": " + e);
        }
    }

    // ---------------------------------------------------------------- SQL and clients

    /** Runs SQL (one or more statements) with psql; returns its unaligned, tuples-only output, trimmed. */
    public String psql(String sql) {
        ProcessResult r = psqlResult(sql);
        if (!r.succeeded()) {
            throw failure("psql on " + name + " failed", r);
        }
        return r.stdout().strip();
    }

    /** Like {@link #psql} but returns the result whatever the exit code (e.g. to poll a starting server). */
    public ProcessResult psqlResult(String sql) {
        List<String> argv = new ArrayList<>(psqlArgs());
        argv.addAll(List.of("-f", "-"));
        return exec(argv).stdin(sql).timeout(Duration.ofSeconds(120)).run();
    }

    /** {@code COPY (query) TO STDOUT} into a file: for outputs too large to hold as a String. */
    public void copyOut(String query, Path file) {
        List<String> argv = new ArrayList<>(psqlArgs());
        argv.addAll(List.of("-c", "COPY (" + query + ") TO STDOUT"));
        ProcessResult r = exec(argv).stdoutTo(file).timeout(Duration.ofSeconds(120)).run();
        if (!r.succeeded()) {
            throw failure("COPY out of " + name + " failed", r);
        }
    }

    /** Every row of {@code table}, in text COPY format, sorted by the whole row: comparable across clusters. */
    public void dumpTable(String table, Path file) {
        copyOut("SELECT * FROM " + table + " AS walj_row ORDER BY walj_row", file);
    }

    /** {@link #dumpTable} of each table into {@code directory}/TABLE.tsv; the files by table, in order. */
    public Map<String, Path> dumpTables(List<String> tables, Path directory) {
        Map<String, Path> dumps = new LinkedHashMap<>();
        for (String table : tables) {
            Path dump = directory.resolve(table + ".tsv");
            dumpTable(table, dump);
            dumps.put(table, dump);
        }
        return dumps;
    }

    /** Dumps each table of {@code expected} into {@code directory} and compares it with the dump it names. */
    public void assertSameTables(Map<String, Path> expected, Path directory, String what) {
        Map<String, Path> actual = dumpTables(List.copyOf(expected.keySet()), directory);
        for (Map.Entry<String, Path> e : expected.entrySet()) {
            Compare.assertSameLines(e.getValue(), actual.get(e.getKey()), "table " + e.getKey() + " " + what);
        }
    }

    /**
     * Archive recovery of this (stopped) copy: {@code restore_command} and the latest timeline, the server's
     * environment, {@code recovery.signal}; starts and waits until recovery finished and the server promoted.
     */
    public void recoverWith(String restoreCommand, Map<String, String> environment, Duration timeout) {
        recoverWith(restoreCommand, Map.of(), environment, timeout);
    }

    /** As {@link #recoverWith(String, Map, Duration)}, with more settings (a recovery target, archiving on). */
    public void recoverWith(String restoreCommand, Map<String, String> settings, Map<String, String> environment,
                            Duration timeout) {
        Map<String, String> all = new LinkedHashMap<>(settings);
        all.put("restore_command", restoreCommand);
        all.putIfAbsent("recovery_target_timeline", "latest");
        configure(all);
        serverEnv(environment);
        createRecoverySignal();
        start(Duration.ofMinutes(2));
        waitRecoveryFinished(timeout);
    }

    public long count(String table) {
        return Long.parseLong(psql("SELECT count(*) FROM " + table));
    }

    /** Runs pgbench against database {@code postgres}, e.g. {@code pgbench(d, "-i", "-s", "5")}. */
    public ProcessResult pgbench(Duration timeout, String... args) {
        ProcessResult r = exec(pgbenchArgv(List.of(args))).timeout(timeout).run();
        if (!r.succeeded()) {
            throw failure("pgbench on " + name + " failed", r);
        }
        return r;
    }

    /**
     * Starts pgbench against database {@code postgres} in the background (with {@code -P 1}); the test waits for
     * its progress, checks it overlapped the operation and that it succeeded ({@link PgbenchLoad}).
     */
    public PgbenchLoad pgbenchInBackground(Duration timeout, String... args) {
        List<String> argv = new ArrayList<>(PgbenchLoad.progressArguments());
        argv.addAll(List.of(args));
        String label = "pgbench-" + System.nanoTime();
        return PgbenchLoad.start(name + " " + String.join(" ", args), exec(pgbenchArgv(argv)),
                scratch.file(label + ".out"), scratch.file(label + ".err"), timeout);
    }

    private List<String> pgbenchArgv(List<String> args) {
        List<String> argv = new ArrayList<>(List.of(Tools.pg("pgbench").toString(), "-h", run.toString(),
                "-p", Integer.toString(port), "-U", SUPERUSER));
        if (args.contains("-T") && !args.contains("-R")) {
            // a load for a time: unthrottled, pgbench and its backends took both cores for the whole time, on an
            // idle machine most of all, away from the other test JVMs; writes at a steady rate disturb the
            // operation under test as well (PgbenchLoad checks they overlapped it)
            argv.addAll(List.of("-R", LOAD_RATE));
        }
        argv.addAll(args);
        argv.add("postgres");
        return argv;
    }

    private List<String> psqlArgs() {
        return List.of(Tools.pg("psql").toString(), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                "-h", run.toString(), "-p", Integer.toString(port), "-U", SUPERUSER, "-d", "postgres");
    }

    // ---------------------------------------------------------------- WAL and archiving

    /** {@code pg_switch_wal()}; returns the name of the segment it completed (the next one to be archived). */
    public String switchWal() {
        return psql("SELECT pg_walfile_name(pg_switch_wal())");
    }

    /** The current WAL write position, e.g. {@code 0/B000000} (as text; compare in SQL with {@code ::pg_lsn}). */
    public String currentWalLsn() {
        return psql("SELECT pg_current_wal_lsn()");
    }

    /** The segment that holds the current WAL insert position. */
    public String currentWalFile() {
        return psql("SELECT pg_walfile_name(pg_current_wal_lsn())");
    }

    /** One row of {@code pg_stat_archiver}. Empty strings stand for NULL. */
    public record ArchiverStats(long archivedCount, String lastArchivedWal, long failedCount, String lastFailedWal,
                                String lastFailedTime) {
    }

    public ArchiverStats archiverStats() {
        String row = psql("SELECT archived_count, coalesce(last_archived_wal, ''), failed_count,"
                + " coalesce(last_failed_wal, ''), coalesce(last_failed_time::text, '') FROM pg_stat_archiver");
        String[] f = row.split("\\|", -1);
        return new ArchiverStats(Long.parseLong(f[0]), f[1], Long.parseLong(f[2]), f[3], f[4]);
    }

    /** True while an archive_command runs wal-push: a process under this server's postmaster that names it. */
    public boolean walPushRunning() {
        try {
            List<String> pid = Files.readAllLines(data.resolve("postmaster.pid"));
            return !pid.isEmpty() && ProcessHandle.of(Long.parseLong(pid.get(0).trim()))
                    .map(postmaster -> postmaster.descendants()
                            .anyMatch(d -> d.info().commandLine().orElse("").contains(" wal-push ")))
                    .orElse(false);
        } catch (java.nio.file.NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits until {@code walFile} (a 24-hex segment name) and every segment before it have been archived.
     * Fails early when the archiver is stuck on a file at or before {@code walFile} (it failed 3 times in a row
     * and backs off for a minute), with the archiver's stats and the server log, which holds the archive
     * command's stderr.
     */
    public void waitArchived(String walFile, Duration timeout) {
        if (!WAL_FILE.matcher(walFile).matches()) {
            throw new IllegalArgumentException("not a WAL segment name: " + walFile);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        ArchiverStats now = null;
        while (System.nanoTime() < deadline) {
            if (Files.exists(pgWal().resolve("archive_status").resolve(walFile + ".done"))) {
                return;
            }
            now = archiverStats();
            if (sameTimelineAtOrAfter(now.lastArchivedWal(), walFile)) {
                return;
            }
            String failed = now.lastFailedWal();
            boolean stuck = now.failedCount() >= 3 && sameTimelineAtOrAfter(walFile, failed)
                    && (now.lastArchivedWal().isEmpty() || failed.compareTo(now.lastArchivedWal()) > 0);
            if (stuck) {
                throw new AssertionError("archive_command of " + name + " keeps failing on " + failed
                        + " while waiting for " + walFile + " to be archived: " + now + "\n" + logTailSection());
            }
            sleep(200);
        }
        throw new AssertionError(walFile + " was not archived by " + name + " within " + timeout.toSeconds() + " s: "
                + now + "\n" + logTailSection());
    }

    /** True if both are segment names of the same timeline and {@code later} is at or after {@code earlier}. */
    private static boolean sameTimelineAtOrAfter(String later, String earlier) {
        return WAL_FILE.matcher(later).matches() && WAL_FILE.matcher(earlier).matches()
                && later.regionMatches(0, earlier, 0, 8) && later.compareTo(earlier) >= 0;
    }

    /**
     * Waits until the server has left recovery ({@code pg_is_in_recovery()} is false, i.e. it reached the end of
     * the archive and promoted). Fails at once if the server exits meanwhile.
     */
    public void waitRecoveryFinished(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        ProcessResult last = null;
        while (System.nanoTime() < deadline) {
            if (!isRunning()) {
                throw new AssertionError("server " + name + " exited during recovery\n" + logTailSection());
            }
            last = psqlResult("SELECT pg_is_in_recovery()");
            if (last.succeeded() && last.stdout().strip().equals("f")) {
                return;
            }
            sleep(200);
        }
        throw new AssertionError("server " + name + " still in recovery after " + timeout.toSeconds() + " s"
                + (last == null ? "" : "\nlast poll:\n" + last.describe()) + "\n" + logTailSection());
    }

    // ---------------------------------------------------------------- files and diagnostics

    /** The scratch directory this cluster lives in: fixtures put their files beside it. */
    Scratch scratch() {
        return scratch;
    }

    public String name() {
        return name;
    }

    public Path dataDir() {
        return data;
    }

    public Path pgWal() {
        return data.resolve("pg_wal");
    }

    public Path socketDir() {
        return run;
    }

    public int port() {
        return port;
    }

    /** PGHOST, PGPORT and PGUSER for a client of this server, such as {@code wal-j backup-push}. */
    public Map<String, String> clientEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PGHOST", socketDir().toString());
        env.put("PGPORT", Integer.toString(port()));
        env.put("PGUSER", SUPERUSER);
        return env;
    }

    public Path logFile() {
        return log;
    }

    /** The last {@code lines} lines of the server log (or a note that there is none yet). */
    public String logTail(int lines) {
        try {
            if (!Files.exists(log)) {
                return "(no server log yet)";
            }
            List<String> all = new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    private String logTailSection() {
        return "----- last " + LOG_TAIL + " lines of " + log + " -----\n" + logTail(LOG_TAIL);
    }

    private AssertionError failure(String what, ProcessResult r) {
        return new AssertionError(what + "\n" + r.describe() + "\n" + logTailSection());
    }

    private Exec exec(String... argv) {
        return exec(List.of(argv));
    }

    private Exec exec(List<String> argv) {
        return Exec.of(argv).as(scratch.user()).dir(home);
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Override
    public String toString() {
        return name + " (" + data + ", port " + port + ")";
    }
}
