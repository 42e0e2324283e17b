package org.walj.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/** Runs the real command-line tools the codecs must interoperate with. Missing tools fail the test (never skip). */
public final class Cli {

    public record Result(int exitCode, byte[] stdout, String stderr) {
        public Result assertSuccess(String what) {
            if (exitCode != 0) {
                fail(what + " exited with " + exitCode + ": " + stderr);
            }
            return this;
        }
    }

    private Cli() {
    }

    public static String lzop() {
        return require("/usr/bin/lzop", "lzop");
    }

    public static String lz4() {
        return require("/usr/bin/lz4", "lz4");
    }

    public static String gpg() {
        return require("/usr/bin/gpg", "gnupg");
    }

    private static String require(String path, String debianPackage) {
        if (!Files.isExecutable(Path.of(path))) {
            fail(path + " is missing: install it (apt-get install " + debianPackage + ") to run the interoperability"
                    + " tests");
        }
        return path;
    }

    /** Runs {@code command} with stdin from {@code stdin} (or nothing), in {@code dir}; files, not pipes: no deadlock. */
    public static Result run(Path dir, Path stdin, Map<String, String> env, String... command) {
        try {
            Path out = Files.createTempFile(dir, "stdout", ".bin");
            Path err = Files.createTempFile(dir, "stderr", ".txt");
            ProcessBuilder pb = new ProcessBuilder(List.of(command)).directory(dir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().putAll(env);
            if (stdin != null) {
                pb.redirectInput(stdin.toFile());
            } else {
                pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            }
            Process p = pb.start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(String.join(" ", command) + " did not finish in 120 s");
            }
            Result r = new Result(p.exitValue(), Files.readAllBytes(out), Files.readString(err));
            Files.delete(out);
            Files.delete(err);
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static Result run(Path dir, Path stdin, String... command) {
        return run(dir, stdin, Map.of(), command);
    }

    public static String[] args(String first, List<String> middle, String... rest) {
        List<String> all = new ArrayList<>();
        all.add(first);
        all.addAll(middle);
        all.addAll(List.of(rest));
        return all.toArray(String[]::new);
    }
}
