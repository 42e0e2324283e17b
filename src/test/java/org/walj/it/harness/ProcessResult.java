package org.walj.it.harness;

import java.time.Duration;
import java.util.List;

/**
 * What a finished external process left behind. {@code stdout} is empty when it was redirected to a file.
 */
public record ProcessResult(List<String> command, int exitCode, String stdout, String stderr, Duration elapsed) {

    public ProcessResult {
        command = List.copyOf(command);
    }

    public boolean succeeded() {
        return exitCode == 0;
    }

    /** Returns this result if the exit code is 0, else fails the test with the command and its output. */
    public ProcessResult requireSuccess() {
        return requireExit(0);
    }

    public ProcessResult requireExit(int expected) {
        if (exitCode != expected) {
            throw new AssertionError("expected exit code " + expected + " but got " + exitCode + "\n" + describe());
        }
        return this;
    }

    /** A multi-line description for failure messages: the command, exit code and the tails of both streams. */
    public String describe() {
        return "command: " + String.join(" ", command) + "\n"
                + "exit code: " + exitCode + " after " + elapsed.toMillis() + " ms\n"
                + "stdout:\n" + tail(stdout, 40) + "\n"
                + "stderr:\n" + tail(stderr, 40);
    }

    static String tail(String text, int lines) {
        if (text.isEmpty()) {
            return "  (empty)";
        }
        List<String> all = text.lines().toList();
        List<String> last = all.subList(Math.max(0, all.size() - lines), all.size());
        String prefix = all.size() > lines ? "  [... " + (all.size() - lines) + " lines before]\n" : "";
        return prefix + "  " + String.join("\n  ", last);
    }
}
