package org.walj.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Prometheus' node_exporter (Debian's {@code prometheus-node-exporter}) with only its textfile collector, as the real
 * reader of {@code wal-j status --prometheus}: it parses every {@code *.prom} file of its directory with Prometheus'
 * own text-format parser and serves what it read; a file that does not parse sets {@code node_textfile_scrape_error}.
 */
public final class NodeExporter implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/bin/prometheus-node-exporter");

    private final Process process;
    private final Path directory;
    private final Path log;
    private final int port;

    private NodeExporter(Process process, Path directory, Path log, int port) {
        this.process = process;
        this.directory = directory;
        this.log = log;
        this.port = port;
    }

    public static boolean installed() {
        return Files.isExecutable(BINARY);
    }

    /** Starts it on a free loopback port, reading {@code textfileDirectory}. */
    public static NodeExporter start(Path textfileDirectory) throws IOException {
        int port = ServerProcess.freeLoopbackPort();
        Path log = Files.createTempFile("walj-node-exporter-", ".log");
        Process p = new ProcessBuilder(List.of(BINARY.toString(), "--collector.disable-defaults",
                "--collector.textfile", "--collector.textfile.directory=" + textfileDirectory,
                "--web.listen-address=127.0.0.1:" + port))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Orphans.child(p.toHandle());
        NodeExporter e = new NodeExporter(p, textfileDirectory, log, port);
        if (!ServerProcess.awaitHttpAnswer(p, "node_exporter", log, e.url(), Duration.ofSeconds(60))) {
            e.close();
            throw new IllegalStateException("node_exporter did not answer within 60 s: " + Files.readString(log));
        }
        return e;
    }

    private String url() {
        return "http://127.0.0.1:" + port + "/metrics";
    }

    /** One scrape: what node_exporter parsed from the directory's files, in its own exposition. */
    public String scrape() throws IOException {
        try (InputStream in = URI.create(url()).toURL().openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** A scrape in which every file parsed, else an error naming node_exporter's complaint. */
    public String scrapeParsed() throws IOException {
        String text = scrape();
        if (!text.contains("\nnode_textfile_scrape_error 0\n")) {
            throw new AssertionError("node_exporter could not parse a file of " + directory + ":\n"
                    + Files.readString(log));
        }
        return text;
    }

    /** The value of the sample written exactly as {@code nameAndLabels} in a scrape ({@code a_b{l="v"}}). */
    public static Optional<Double> value(String scrape, String nameAndLabels) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith(nameAndLabels + " ")) {
                return Optional.of(Double.parseDouble(line.substring(nameAndLabels.length() + 1).trim()));
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        ServerProcess.stop(process);
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // a log left in the temp directory is harmless
        }
    }
}
