package org.walj.logging;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Logger names are a compatibility surface (the first column of every record, docs/logging.md): they are spelled in
 * one place, {@link LoggerNames}, and all of them are documented. A scan of the sources, as ArchitectureTest does.
 */
class LoggerNamesTest {

    private static final Path BASE = Path.of(System.getProperty("basedir", "."));
    private static final Path SOURCES = BASE.resolve("src/main/java/org/walj");
    private static final Pattern CONSTANT =
            Pattern.compile("public static final String (\\w+) = \"([^\"]+)\";");
    /** A logger named by a literal, or an SLF4J logger taken around WalELog. */
    private static final Pattern LITERAL_NAME = Pattern.compile("WalELog\\.get\\(\\s*\"|LoggerFactory\\.getLogger\\(");

    @Test
    void loggersAreNamedThroughLoggerNames() throws IOException {
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                boolean loggingPackage = file.getParent().equals(SOURCES.resolve("logging"));
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i).trim();
                    if (line.startsWith("*") || line.startsWith("//")) {
                        continue;
                    }
                    Matcher m = LITERAL_NAME.matcher(line);
                    while (m.find()) {
                        if (!(loggingPackage && m.group().startsWith("LoggerFactory"))) {
                            violations.add(BASE.relativize(file) + ":" + (i + 1) + ": " + line);
                        }
                    }
                }
            }
        }
        assertTrue(violations.isEmpty(), "loggers named outside LoggerNames:\n  " + String.join("\n  ", violations));
    }

    @Test
    void everyLoggerNameIsInTheLoggingDoc() throws IOException {
        Map<String, String> names = names();
        assertFalse(names.isEmpty(), "no constants found in LoggerNames.java");
        String doc = Files.readString(BASE.resolve("docs/logging.md"), StandardCharsets.UTF_8);
        List<String> missing = new ArrayList<>();
        names.forEach((constant, name) -> {
            if (!doc.contains("`" + name + "`")) {
                missing.add(constant + " = " + name);
            }
        });
        assertTrue(missing.isEmpty(), "logger names docs/logging.md does not list: " + missing);
    }

    private static Map<String, String> names() throws IOException {
        String source = Files.readString(SOURCES.resolve("logging/LoggerNames.java"), StandardCharsets.UTF_8);
        Map<String, String> names = new LinkedHashMap<>();
        Matcher m = CONSTANT.matcher(source);
        while (m.find()) {
            names.put(m.group(1), m.group(2));
        }
        return names;
    }
}
