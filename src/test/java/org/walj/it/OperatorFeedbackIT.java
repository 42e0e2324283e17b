package org.walj.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.walj.it.harness.ArchivingCluster;
import org.walj.it.harness.Exec;
import org.walj.it.harness.PgCluster;
import org.walj.it.harness.ProcessResult;
import org.walj.it.harness.Scratch;
import org.walj.it.harness.ScratchExtension;
import org.walj.it.harness.Tools;
import org.walj.it.harness.WalJ;
import org.walj.testsupport.Orphans;

/**
 * What an operator sees (issue 16): the INFO lines around backup-push's start call, {@code --start-fast} against a
 * server whose spread checkpoint would take most of an hour, and the progress line of backup-push, backup-fetch and
 * backup-verify: drawn with WALJ_PROGRESS=always and on a real terminal ({@code script(1)}'s pseudo terminal),
 * absent when stderr is a file (every other test, PostgreSQL's log, cron).
 */
@ExtendWith(ScratchExtension.class)
class OperatorFeedbackIT {
    private static final Pattern CHECKPOINT_TOOK = Pattern.compile(
            "DETAIL: The fast checkpoint took ([0-9]+\\.[0-9]) s; the backup starts at [0-9A-F]+/[0-9A-F]+\\.");

    @Test
    void checkpointLinesStartFastAndProgressOnlyWhereAskedFor(Scratch scratch) throws Exception {
        WalJ walj = WalJ.install(scratch);
        Path archive = scratch.archive("archive");
        Map<String, String> walEnv = walj.fileArchiveEnv(archive);
        // a spread checkpoint is paced to end after 0.9 x 1 h: long enough that only a fast one can finish here
        PgCluster source = ArchivingCluster.initdb(scratch, walj, "src", walEnv)
                .configure(Map.of("checkpoint_timeout", "1h", "checkpoint_completion_target", "0.9",
                        "max_wal_size", "4GB"));
        source.start();
        dirtyBuffers(source, 1);
        Map<String, String> env = new LinkedHashMap<>(walEnv);
        env.putAll(source.clientEnv());
        String data = source.dataDir().toString();

        // --- spread (the default, WAL-E's): the waiting line comes before the wait, and the wait is long
        Path spreadErr = scratch.file("spread.err");
        Process spread = walj.start(env, scratch.file("spread.out"), spreadErr, "backup-push", data);
        Orphans.child(spread.toHandle());
        try {
            String waiting = waitFor(spreadErr, spread, "MSG: waiting for PostgreSQL's spread checkpoint");
            assertTrue(waiting.contains("wal_e.operator.backup INFO     MSG: waiting for PostgreSQL's spread "
                    + "checkpoint\n        DETAIL: The backup starts after a checkpoint, which PostgreSQL spreads "
                    + "over checkpoint_completion_target (0.9) of checkpoint_timeout (3600 s): up to about 54 min "
                    + "here.\n        HINT: backup-push --start-fast (or WALJ_START_FAST=true) asks for an "
                    + "immediate checkpoint instead"), waiting);
            assertTrue(waiting.contains("checkpoint=spread"), waiting);
            Thread.sleep(10_000);
            String after = Files.readString(spreadErr);
            assertTrue(spread.isAlive(), "the spread checkpoint should still be running 10 s later:\n" + after);
            assertFalse(after.contains("checkpoint is done"), after);
            assertFalse(after.contains("\r"), "stderr is a file: no progress line\n" + after);
        } finally {
            spread.descendants().forEach(ProcessHandle::destroy);
            spread.destroy();
            assertTrue(spread.waitFor(1, TimeUnit.MINUTES), "the spread push stopped on SIGTERM");
        }

        // --- --start-fast: done in seconds although the spread checkpoint it overtakes was paced for 54 min
        dirtyBuffers(source, 2);
        ProcessResult fast = walj.run(env, Duration.ofMinutes(3), "backup-push", "--start-fast", data);
        fast.requireSuccess();
        String fastErr = fast.stderr();
        assertTrue(fastErr.contains("wal_e.operator.backup INFO     MSG: waiting for PostgreSQL's fast checkpoint\n"
                + "        DETAIL: The backup starts after a checkpoint; --start-fast asked PostgreSQL for an "
                + "immediate one"), fastErr);
        Matcher took = CHECKPOINT_TOOK.matcher(fastErr);
        assertTrue(took.find(), fastErr);
        assertTrue(Double.parseDouble(took.group(1)) < 60, "a fast checkpoint of ~50 MB took " + took.group(1) + " s");
        System.out.println("OperatorFeedbackIT: the fast checkpoint took " + took.group(1) + " s, the whole push "
                + fast.elapsed().toMillis() + " ms"); // a figure for docs/backup-push.md
        assertTrue(fastErr.contains("MSG: PostgreSQL's checkpoint is done"), fastErr);
        assertTrue(fastErr.indexOf("MSG: PostgreSQL's checkpoint is done")
                < fastErr.indexOf("MSG: start upload postgres version metadata"), "the line before the upload");
        assertTrue(fastErr.contains("MSG: base backup complete"), fastErr);
        assertFalse(fastErr.contains("\r"), "default: stderr is not a terminal, no progress\n" + fastErr);

        // --- WALJ_START_FAST=true does the same; --no-start-fast would override it (not run: it waits 54 min)
        Map<String, String> alwaysEnv = new LinkedHashMap<>(env);
        alwaysEnv.put("WALJ_START_FAST", "true");
        alwaysEnv.put("WALJ_PROGRESS", "always");
        dirtyBuffers(source, 3);
        ProcessResult shown = walj.run(alwaysEnv, Duration.ofMinutes(3), "backup-push", data);
        shown.requireSuccess();
        assertTrue(shown.stderr().contains("MSG: waiting for PostgreSQL's fast checkpoint"), shown.stderr());
        requireProgress(shown.stderr(), "backup-push read", true);
        Map<String, String> badEnv = new LinkedHashMap<>(env);
        badEnv.put("WALJ_START_FAST", "maybe");
        ProcessResult bad = walj.run(badEnv, "backup-push", data);
        assertEquals(1, bad.exitCode(), bad.describe());
        assertTrue(bad.stderr().contains("WALJ_START_FAST must be 1, true, 0 or false, not \"maybe\""), bad.stderr());
        assertFalse(bad.stderr().contains("waiting for PostgreSQL"), "refused before the start call");

        // --- backup-verify and backup-fetch: progress with WALJ_PROGRESS=always, none by default
        ProcessResult verify = walj.run(alwaysEnv, Duration.ofMinutes(3), "backup-verify", "LATEST");
        verify.requireSuccess();
        requireProgress(verify.stderr(), "backup-verify read", true);
        ProcessResult quietVerify = walj.run(env, Duration.ofMinutes(3), "backup-verify", "LATEST");
        quietVerify.requireSuccess();
        assertFalse(quietVerify.stderr().contains("\r"), quietVerify.stderr());
        assertFalse(quietVerify.stderr().contains("backup-verify read"), quietVerify.stderr());
        Path restored = scratch.dir("restored");
        Files.delete(restored);
        ProcessResult fetch = walj.run(alwaysEnv, Duration.ofMinutes(3), "backup-fetch", restored.toString(),
                "LATEST");
        fetch.requireSuccess();
        requireProgress(fetch.stderr(), "backup-fetch downloaded", true);

        // --- a real terminal: WALJ_PROGRESS unset (auto) draws the line, never suppresses it, --terse hides it
        requireProgress(onTerminal(scratch, walj, walEnv, "backup-verify", "LATEST"), "backup-verify read", false);
        Map<String, String> never = new LinkedHashMap<>(walEnv);
        never.put("WALJ_PROGRESS", "never");
        String none = onTerminal(scratch, walj, never, "backup-verify", "LATEST");
        assertTrue(none.contains("MSG: base backup verified"), none);
        assertFalse(none.contains("backup-verify read"), none);
        String terse = onTerminal(scratch, walj, walEnv, "--terse", "backup-verify", "LATEST");
        assertFalse(terse.contains("backup-verify read"), terse);
        source.stop();
    }

    /** Writes rows into a table of its own: dirty buffers that a spread checkpoint has to pace. */
    private static void dirtyBuffers(PgCluster source, int round) {
        source.psql("CREATE TABLE filler_" + round + " (id int, pad text); INSERT INTO filler_" + round
                + " SELECT g, repeat('x', 200) FROM generate_series(1, 200000) g;");
    }

    /**
     * Progress lines are there, each a redrawing ({@code \r}) of {@code label} with bytes "of" a known total, and no
     * log record starts in the middle of one: each begins a line, after a newline or after the wipe's {@code \r}.
     * {@code pipe}: the output is the process's own bytes (a terminal's transcript turns newlines into CR LF).
     */
    private static void requireProgress(String stderr, String label, boolean pipe) {
        Matcher line = Pattern.compile("\r" + Pattern.quote(label) + " [0-9.]+ (B|KiB|MiB|GiB) of [0-9.]+ "
                + "(B|KiB|MiB|GiB) \\([0-9]+%\\)").matcher(stderr);
        assertTrue(line.find(), "a progress line of " + label + ":\n" + stderr.replace("\r", "<CR>"));
        List<Integer> records = new ArrayList<>();
        Matcher record = Pattern.compile("wal_e\\.[a-z_.]+ +(INFO|WARNING|ERROR) ").matcher(stderr);
        while (record.find()) {
            records.add(record.start());
            char before = record.start() == 0 ? '\n' : stderr.charAt(record.start() - 1);
            assertTrue(before == '\n' || before == '\r', "a record begins mid-line at " + record.start() + ":\n"
                    + stderr.replace("\r", "<CR>"));
        }
        assertFalse(records.isEmpty(), stderr);
        if (pipe) {
            // the line is wiped at the end: the last bytes are the wipe or a record's newline, never a progress text
            String tail = stderr.substring(stderr.lastIndexOf('\n') + 1);
            assertTrue(tail.isBlank(), "the progress line was left behind: \"" + tail.replace("\r", "<CR>") + "\"");
        }
    }

    /** Runs wal-j under {@code script(1)}: stdin, stdout and stderr are a pseudo terminal; returns its transcript. */
    private static String onTerminal(Scratch scratch, WalJ walj, Map<String, String> env, String... args) {
        Path script = Tools.require("script", "bsdutils");
        Map<String, String> all = new LinkedHashMap<>(walj.env());
        all.putAll(env);
        ProcessResult r = Exec.of(script.toString(), "-qfec", walj.shellCommand(args), "/dev/null")
                .as(scratch.user()).env(all).timeout(Duration.ofMinutes(3)).run();
        r.requireSuccess();
        return r.stdout();
    }

    private static String waitFor(Path stderr, Process p, String text) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            String now = Files.exists(stderr) ? Files.readString(stderr) : "";
            if (now.contains(text)) {
                Thread.sleep(200); // the record's other lines
                return Files.readString(stderr);
            }
            if (!p.isAlive()) {
                throw new AssertionError("exited " + p.exitValue() + " before \"" + text + "\":\n" + now);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no \"" + text + "\" within 2 minutes:\n" + Files.readString(stderr));
    }
}
