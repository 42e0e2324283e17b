package org.walj.pipeline.gpg;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.walj.pipeline.CorruptObjectException;
import org.walj.pipeline.ForwardingInputStream;

/**
 * The fallback for secret keys Bouncy Castle cannot read in process (cv25519 keys in {@code private-keys-v1.d}):
 * the ciphertext is piped through the real {@code gpg --batch -d}, as WAL-E does, with the same GnuPG home. The
 * stream reports its end only after gpg exited 0, so an integrity failure gpg detects at the end (it prints the
 * plaintext first) still fails the read. A configured passphrase goes to gpg on its stdin before the
 * ciphertext ({@code --passphrase-fd 0}), never on its command line.
 */
final class GpgProcessDecryption extends ForwardingInputStream {
    static final String COMMAND = "gpg --batch -q -d";
    private static final int STDERR_LIMIT = 8192;

    private final Process process;
    private final Thread feeder;
    private final Thread stderrReader;
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private volatile IOException feedFailure;
    private boolean finished;

    private GpgProcessDecryption(Process process, InputStream ciphertext, char[] passphrase) {
        super(process.getInputStream());
        this.process = process;
        this.feeder = new Thread(() -> feed(ciphertext, passphrase), "gpg-feeder");
        this.stderrReader = new Thread(this::drainStderr, "gpg-stderr");
        feeder.setDaemon(true);
        stderrReader.setDaemon(true);
        feeder.start();
        stderrReader.start();
    }

    static InputStream start(GpgSettings settings, InputStream ciphertext) throws IOException {
        char[] passphrase = settings.passphrase().read().orElse(null);
        List<String> argv = new ArrayList<>(List.of("gpg", "--batch", "--no-tty", "-q", "--yes"));
        if (passphrase != null) {
            argv.addAll(List.of("--pinentry-mode", "loopback", "--passphrase-fd", "0"));
        }
        argv.add("-d");
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().put("GNUPGHOME", settings.home().toString());
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new GpgKeyException("cannot run gpg to decrypt with a key Bouncy Castle cannot read ("
                    + e.getMessage() + "): install GnuPG (apt-get install gnupg) or export the key with "
                    + "gpg --export-secret-keys into " + GpgSettings.SECRET_KEY_FILE);
        }
        return new GpgProcessDecryption(process, ciphertext, passphrase);
    }

    private void feed(InputStream ciphertext, char[] passphrase) {
        try (OutputStream stdin = process.getOutputStream(); ciphertext) {
            if (passphrase != null) {
                byte[] line = (new String(passphrase) + "\n").getBytes(StandardCharsets.UTF_8);
                Arrays.fill(passphrase, '\0');
                stdin.write(line);
                Arrays.fill(line, (byte) 0);
            }
            ciphertext.transferTo(stdin);
        } catch (IOException e) {
            // gpg exiting early closes the pipe: its exit status tells why; a read failure of ours is kept
            feedFailure = e;
        }
    }

    private void drainStderr() {
        byte[] buffer = new byte[4096];
        try (InputStream err = process.getErrorStream()) {
            int n;
            while ((n = err.read(buffer)) >= 0) {
                synchronized (stderr) {
                    if (stderr.size() < STDERR_LIMIT) {
                        stderr.write(buffer, 0, Math.min(n, STDERR_LIMIT - stderr.size()));
                    }
                }
            }
        } catch (IOException ignored) {
            // the process is gone; what we have is enough for the message
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n < 0) {
            finish();
        }
        return n;
    }

    /** At the end of gpg's output: its exit status decides whether the plaintext was good. */
    private void finish() throws IOException {
        if (finished) {
            return;
        }
        int status;
        try {
            status = process.waitFor();
            feeder.join(TimeUnit.SECONDS.toMillis(10));
            stderrReader.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for gpg");
        }
        if (status != 0) {
            throw new CorruptObjectException("gpg -d failed (exit " + status + "): " + lastLine());
        }
        if (feedFailure != null) {
            throw new IOException("reading the object for gpg failed: " + feedFailure.getMessage(), feedFailure);
        }
        finished = true;
    }

    private String lastLine() {
        String text;
        synchronized (stderr) {
            text = stderr.toString(StandardCharsets.UTF_8).strip();
        }
        if (text.isEmpty()) {
            return "no message";
        }
        // gpg's last line is usually the verdict ("decryption failed: No secret key", "bad passphrase", ...)
        String[] lines = text.split("\n");
        return String.join(" / ", Arrays.copyOfRange(lines, Math.max(0, lines.length - 2), lines.length));
    }

    @Override
    public void close() throws IOException {
        try {
            super.close();
        } finally {
            if (!finished) {
                process.destroy();
            }
        }
    }
}
