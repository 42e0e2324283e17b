package org.walj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.walj.daemon.DaemonClient;
import org.walj.pipeline.gpg.GpgVariables;
import org.walj.settings.Scope;
import org.walj.settings.Setting;
import org.walj.settings.Settings;
import org.walj.settings.VariableFamily;
import org.walj.storage.RetrySettings;
import org.walj.storage.azure.AzureVariables;
import org.walj.storage.gcs.GcsVariables;
import org.walj.storage.s3.S3Variables;
import org.walj.storage.swift.SwiftVariables;

/** The one table of settings against what travels to the daemon, what the launcher reads and what the docs list. */
class SettingsTableTest {
    private static final Path BASE = Path.of(System.getProperty("basedir", "."));

    /** Each package's declarations are in the table as they are: reading one through it never throws "undeclared". */
    @Test
    void everyPackagesDeclarationsAreInTheTable() {
        List<Setting<?>> declared = new ArrayList<>();
        for (List<Setting<?>> part : List.of(CliVariables.ALL, LauncherVariables.ALL, GpgVariables.ALL,
                RetrySettings.ALL, S3Variables.ALL, GcsVariables.ALL, AzureVariables.ALL, SwiftVariables.ALL)) {
            declared.addAll(part);
        }
        for (Setting<?> s : declared) {
            assertSame(s, AllSettings.TABLE.find(s.name()).orElse(null), s.name());
        }
        assertEquals(declared.size(), AllSettings.TABLE.settings().size());
        assertTrue(CliVariables.ALL.containsAll(CliVariables.POSTGRES), "PG* in the table");
        assertTrue(CliVariables.ALL.containsAll(CliVariables.PREFIXES), "WALE_*_PREFIX in the table");
    }

    /** The client cannot see the table (java.* only): it must send at least every must-match variable. */
    @Test
    void everyMustMatchSettingTravelsWithADaemonRequest() {
        List<String> missing = new ArrayList<>();
        for (Setting<?> s : AllSettings.TABLE.inScope(Scope.MUST_MATCH_DAEMON)) {
            if (!DaemonClient.relevant(Map.of(s.name(), "x")).containsKey(s.name())) {
                missing.add(s.name());
            }
        }
        for (VariableFamily f : AllSettings.TABLE.families()) {
            String member = f.prefix() + "ANY_MEMBER";
            if (f.scope() == Scope.MUST_MATCH_DAEMON && !DaemonClient.relevant(Map.of(member, "x")).containsKey(member)) {
                missing.add(f.prefix() + "*");
            }
        }
        assertTrue(missing.isEmpty(), "must-match settings the daemon client does not send: " + missing);
    }

    @Test
    void theDaemonNamesAClientsOtherEmulatorHost() {
        Settings daemon = AllSettings.read(Map.of("WALE_GS_PREFIX", "gs://b/p", "STORAGE_EMULATOR_HOST",
                "http://localhost:4443", "HOME", "/daemon"));
        Map<String, String> client = DaemonClient.relevant(Map.of("WALE_GS_PREFIX", "gs://b/p",
                "STORAGE_EMULATOR_HOST", "http://localhost:9999", "HOME", "/client"));
        assertEquals(List.of("STORAGE_EMULATOR_HOST"), List.copyOf(daemon.mustMatchDifferences(client)));
    }

    /** Every WALJ_ variable the launcher script uses is declared (with the launcher's scope unless Java reads it). */
    @Test
    void theLauncherReadsOnlyDeclaredVariables() throws IOException {
        String script = Files.readString(BASE.resolve("packaging/wal-j"), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("\\$\\{?(WALJ_[A-Z0-9_]+|JAVA_HOME|XDG_CACHE_HOME|XDG_RUNTIME_DIR)").matcher(script);
        TreeSet<String> undeclared = new TreeSet<>();
        while (m.find()) {
            if (AllSettings.TABLE.find(m.group(1)).isEmpty()) {
                undeclared.add(m.group(1));
            }
        }
        assertTrue(undeclared.isEmpty(), "packaging/wal-j reads variables the table does not declare: " + undeclared);
        for (String name : List.of("WALJ_JAVA", "WALJ_JAVA_OPTS", "WALJ_JAR", "WALJ_CDS", "WALJ_CDS_DIR")) {
            assertEquals(Scope.LAUNCHER, AllSettings.TABLE.find(name).orElseThrow().scope(), name);
        }
    }

    /** docs/configuration.md's table: the same names, with the same scope and secrecy. */
    @Test
    void theConfigurationPageListsExactlyTheDeclaredSettings() throws IOException {
        String page = Files.readString(BASE.resolve("docs/configuration.md"), StandardCharsets.UTF_8);
        Matcher row = Pattern.compile("(?m)^\\| `([A-Z][A-Z0-9_]*)` \\| ([a-z, -]+) \\|").matcher(page);
        Map<String, String> documented = new TreeMap<>();
        while (row.find()) {
            assertEquals(null, documented.put(row.group(1), row.group(2)), row.group(1) + " listed twice");
        }
        Map<String, String> declared = new TreeMap<>();
        for (Setting<?> s : AllSettings.TABLE.settings()) {
            String scope = switch (s.scope()) {
                case PROCESS -> "process";
                case LAUNCHER -> "launcher";
                case MUST_MATCH_DAEMON -> "must-match";
            };
            declared.put(s.name(), s.secret() ? scope + ", secret" : scope);
        }
        assertEquals(declared, documented, "docs/configuration.md vs the declared settings (cli/AllSettings)");
    }

    /** A variable the docs name as one wal-j reads is declared; the listed exceptions are WAL-E's, not read. */
    @Test
    void everyWalJOrWalEVariableTheDocsMentionIsDeclared() throws IOException {
        List<String> notRead = List.of("WALE_RETRIES", "WALE_SYSLOG_FACILITY");
        Pattern name = Pattern.compile("\\b(WAL[EJ]_[A-Z0-9_]*[A-Z0-9])\\b");
        TreeSet<String> undeclared = new TreeSet<>();
        List<Path> pages = new ArrayList<>();
        pages.add(BASE.resolve("README.md"));
        try (var docs = Files.list(BASE.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).forEach(pages::add);
        }
        for (Path page : pages) {
            Matcher m = name.matcher(Files.readString(page, StandardCharsets.UTF_8));
            while (m.find()) {
                String n = m.group(1);
                if (!notRead.contains(n) && !n.startsWith("WALJ_TEST_") && !n.startsWith("WALJ_BENCH_")
                        && AllSettings.TABLE.find(n).isEmpty()) {
                    undeclared.add(n + " (" + page.getFileName() + ")");
                }
            }
        }
        assertTrue(undeclared.isEmpty(), "variables the docs mention but the table does not declare: " + undeclared);
    }
}
