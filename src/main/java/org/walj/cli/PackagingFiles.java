package org.walj.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.walj.settings.Settings;
import picocli.AutoComplete;
import picocli.CommandLine;

/**
 * Build-time only (the {@code package} phase runs it, docs/packaging.md): writes the man pages and the bash
 * completion script from the same picocli model the command line uses, into {@code DIR/man/man1/*.1.gz} and
 * {@code DIR/bash-completion/wal-j}. Nothing here is written by hand, so a new option shows up in both by itself.
 */
public final class PackagingFiles {
    private PackagingFiles() {
    }

    /** Arguments: the output directory and the date the pages carry (the build's). */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: PackagingFiles OUTPUT_DIR DATE");
        }
        Path out = Path.of(args[0]);
        // silent, as `./mvnw -q package` is: PackagingFilesTest checks what is written
        write(out, AllSettings.read(java.util.Map.of()), VersionCommand.version(), args[1]);
    }

    /**
     * Writes every file; returns the man pages written. {@code env}: the settings the model is built with (an empty
     * environment at build time, so that the builder's own variables never show up as defaults).
     */
    static List<Path> write(Path out, Settings env, String version, String date) throws IOException {
        CommandLine root = Main.commandLine(new String[0], env);
        Path man1 = out.resolve("man/man1");
        Files.createDirectories(man1);
        List<Path> pages = new ArrayList<>();
        pages.add(writePage(man1, ManualPage.of(root, version, date)));
        for (CommandLine sub : ManualPage.visible(root)) {
            pages.add(writePage(man1, ManualPage.of(sub, version, date)));
        }
        Path completion = out.resolve("bash-completion/wal-j");
        Files.createDirectories(completion.getParent());
        writeAtomically(completion, AutoComplete.bash("wal-j", root).getBytes(StandardCharsets.UTF_8), false);
        return pages;
    }

    private static Path writePage(Path dir, ManualPage page) throws IOException {
        Path file = dir.resolve(page.name() + ".1.gz");
        writeAtomically(file, page.text().getBytes(StandardCharsets.UTF_8), true);
        return file;
    }

    /** gzip as Debian ships man pages; GZIPOutputStream writes no name and no time, so the bytes are reproducible. */
    private static void writeAtomically(Path file, byte[] bytes, boolean gzip) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream raw = Files.newOutputStream(tmp);
             OutputStream o = gzip ? new GZIPOutputStream(raw) : raw) {
            o.write(bytes);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
