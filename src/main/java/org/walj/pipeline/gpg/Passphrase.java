package org.walj.pipeline.gpg;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The passphrase of a protected secret key, from an environment variable's value or from a file (never from the
 * command line, where every user can read it in {@code ps}). It is read only when a protected key is used, and
 * {@link #toString()} names its source, never its value.
 *
 * @param value  the passphrase itself (from {@code WALJ_GPG_PASSPHRASE})
 * @param file   a file whose first line is the passphrase (from {@code WALJ_GPG_PASSPHRASE_FILE}), as {@code gpg
 *               --passphrase-file} reads it
 */
public record Passphrase(Optional<String> value, Optional<Path> file) {
    public static final String VARIABLE = "WALJ_GPG_PASSPHRASE";
    public static final String FILE_VARIABLE = "WALJ_GPG_PASSPHRASE_FILE";

    public static Passphrase none() {
        return new Passphrase(Optional.empty(), Optional.empty());
    }

    public boolean configured() {
        return value.isPresent() || file.isPresent();
    }

    /** The passphrase, the file winning over the variable; empty when none is configured. */
    public Optional<char[]> read() throws IOException {
        if (file.isPresent()) {
            String text;
            try {
                text = Files.readString(file.get(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new GpgKeyException("cannot read the GPG passphrase file " + file.get() + " (" + FILE_VARIABLE
                        + "): " + e.getClass().getSimpleName());
            }
            int newline = text.indexOf('\n');
            String line = newline < 0 ? text : text.substring(0, newline);
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            return Optional.of(line.toCharArray());
        }
        return value.map(String::toCharArray);
    }

    /** Where the passphrase came from, for messages: never the passphrase. */
    public String source() {
        if (file.isPresent()) {
            return FILE_VARIABLE + "=" + file.get();
        }
        return value.isPresent() ? VARIABLE : "no passphrase configured";
    }

    @Override
    public String toString() {
        return "Passphrase[" + source() + "]";
    }
}
