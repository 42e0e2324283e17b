package org.walj;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No code reads the process environment except through the table of settings (docs/configuration.md): with
 * {@code Settings} holding only declared names and throwing on an undeclared one, a backend cannot read a setting
 * nobody declared. A scan of the sources, like {@link ArchitectureTest}.
 */
class SettingsReadThroughTheTableTest {
    private static final Path SOURCES = Path.of(System.getProperty("basedir", ".")).resolve("src/main/java");
    private static final Pattern GETENV = Pattern.compile("\\bgetenv\\s*\\(");
    /** The files that may, and why. */
    private static final Map<String, String> ALLOWED = Map.of(
            "org/walj/settings/Settings.java", "the reader of the table",
            "org/walj/logging/LogSetup.java", "logback starts before main, from its ServiceLoader",
            "org/walj/logging/WalJLogbackConfigurator.java", "logback starts before main, from its ServiceLoader",
            "org/walj/cli/ClientMain.java", "the daemon client imports java.* only and sends its environment");

    @Test
    void onlyTheSettingsReaderReadsTheEnvironment() throws IOException {
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                String rel = SOURCES.relativize(file).toString().replace('\\', '/');
                String text = Files.readString(file, StandardCharsets.UTF_8);
                Matcher m = GETENV.matcher(text);
                while (m.find()) {
                    int line = (int) text.substring(0, m.start()).chars().filter(c -> c == '\n').count() + 1;
                    String code = text.lines().skip(line - 1).findFirst().orElse("").trim();
                    if (!ALLOWED.containsKey(rel) && !code.startsWith("*") && !code.startsWith("//")) {
                        violations.add(rel + ":" + line + ": " + code);
                    }
                }
            }
        }
        assertTrue(violations.isEmpty(), "the environment read outside org.walj.settings.Settings (declare the "
                + "setting and read it through Settings):\n  " + String.join("\n  ", violations));
    }
}
