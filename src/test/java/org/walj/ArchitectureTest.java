package org.walj;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package map of docs/architecture.md, enforced on the sources: imports only point down, and the resident-mode
 * client (the classes of target/wal-j-client.jar) uses nothing but {@code java.*}. A plain scan of the source text,
 * so no dependency: {@code import} lines, plus fully qualified {@code org.walj.} names in code (comments and string
 * literals are blanked first, so prose that names a class does not count).
 */
class ArchitectureTest {

    private static final Path BASE = Path.of(System.getProperty("basedir", "."));
    private static final Path SOURCES = BASE.resolve("src/main/java");
    private static final String ROOT = "org.walj";

    /**
     * The table of docs/architecture.md: each package's layer (1 is the top) and what it may import of ours (its own
     * package, {@code java.*} and libraries aside). Names are relative to {@code org.walj}; {@code root} is
     * {@code org.walj} itself. A package may list only packages of lower layers
     * ({@link #theTableItselfPointsOnlyDown}), so a failure here cannot be "fixed" by allowing an import that points
     * up or sideways. Packages of one layer do not import each other: the use cases work on the {@code Storage}
     * interface, never on a backend or the daemon (the CLI opens those), and the backends share only {@code storage}.
     */
    private static final List<Row> TABLE = List.of(
            // the command line
            row(1, "cli",          "resident recovery status wal backup retention archive layout storage.file storage.gcs"
                                           + " storage.s3 storage.azure storage.swift"
                                           + " storage daemon pipeline.gpg pipeline.codecs pipeline postgres logging"
                                           + " settings root"),
            // resident mode: the daemon's requests, push-ahead, prefetch (below the CLI it no longer re-enters)
            row(2, "resident",     "wal archive layout storage daemon pipeline postgres logging settings root"),
            // point-in-time restore: plans, then restores through backup-fetch (a use case it composes)
            row(2, "recovery",     "backup archive layout storage pipeline postgres logging root"),
            // monitoring: a host's archiving and backups, over backup-list's coverage (so above the use cases)
            row(2, "status",       "backup archive layout storage postgres logging root"),
            // use cases
            row(3, "wal",          "archive layout storage pipeline postgres logging root"),
            row(3, "backup",       "archive layout storage pipeline.codecs pipeline postgres logging root"),
            row(3, "retention",    "archive layout storage pipeline postgres logging root"),
            // the opened archive: storage, prefix and codec, and what reads it (backup catalog, WAL index, manifests)
            row(4, "archive",      "layout storage pipeline.codecs pipeline postgres logging root"),
            // the archive's names and formats (no I/O); the storage backends
            row(5, "layout",       "pipeline.codecs pipeline postgres logging root"),
            row(5, "storage.file", "storage logging root"),
            row(5, "storage.gcs",  "storage logging settings root"),
            row(5, "storage.s3",   "storage logging settings root"),
            row(5, "storage.azure", "storage logging settings root"),
            row(5, "storage.swift", "storage logging settings root"),
            // the storage interface, the daemon's socket side and client, OpenPGP, the table of compressions
            row(6, "storage",      "logging settings root"),
            row(6, "daemon",       "logging root"),
            row(6, "pipeline.gpg", "pipeline logging settings root"),
            row(6, "pipeline.codecs", "pipeline.lzop pipeline.lz4 pipeline"),
            // one package per compression format
            row(7, "pipeline.lzop", "pipeline"),
            row(7, "pipeline.lz4",  "pipeline"),
            // the object codec and its stream bases, PostgreSQL, WAL-E's log format, the declarations of settings
            row(8, "pipeline",     "root"),
            row(8, "postgres",     "root"),
            row(8, "logging",      "root"),
            row(8, "settings",     "root"),
            // org.walj: UserException, TaskFailure, WorkerThreads, CodePointOrder
            row(9, "root",         ""));
    private static final Map<String, Row> ROWS =
            TABLE.stream().collect(Collectors.toMap(Row::pkg, r -> r, (a, b) -> a, LinkedHashMap::new));

    /** {@code org.walj.a.b.Name} in code: the package is the lower-case part before the first capital. */
    private static final Pattern QUALIFIED =
            Pattern.compile("\\borg\\.walj((?:\\.[a-z_][a-z0-9_]*)*)\\.(?:[A-Z]\\w*|\\*)");
    /** Any qualified name in code ({@code a.b.Name}): in the client, only {@code java.} ones may appear. */
    private static final Pattern ANY_QUALIFIED = Pattern.compile("(?<![\\w.])[a-z]\\w*(?:\\.[a-z]\\w*)+\\.[A-Z]\\w*");
    private static final Pattern IMPORT =
            Pattern.compile("^\\s*import\\s+(?:static\\s+)?([\\w.]+(?:\\.\\*)?)\\s*;", Pattern.MULTILINE);
    private static final Pattern CLIENT_EXECUTION =
            Pattern.compile("<execution>\\s*(?:<!--.*?-->\\s*)?<id>client</id>(.*?)</execution>", Pattern.DOTALL);
    /**
     * The one class outside the client jar the client names: {@code ClientMain}'s in-process fallback, resolved (from
     * the full jar behind the client jar on the class path) only when no daemon answers (docs/daemon.md).
     */
    private static final String CLIENT_FALLBACK = "org.walj.cli.Main";
    private static final Pattern INCLUDE = Pattern.compile("<include>(org/walj/[^<]+)\\.class</include>");

    @Test
    void everyPackageHasARowAndEveryRowAPackage() throws IOException {
        assertEquals(TABLE.size(), ROWS.size(), "a package with two rows in ArchitectureTest.TABLE");
        assertEquals(new TreeSet<>(ROWS.keySet()), new TreeSet<>(sources().stream().map(Source::pkg).toList()),
                "rows of ArchitectureTest.TABLE vs packages under src/main/java/org/walj");
    }

    @Test
    void theTableItselfPointsOnlyDown() {
        List<String> notDown = new ArrayList<>();
        for (Row row : TABLE) {
            for (String target : row.mayImport()) {
                Row to = ROWS.get(target);
                if (to == null) {
                    notDown.add(row.pkg() + " -> " + target + " (no such row)");
                } else if (to.layer() <= row.layer()) {
                    notDown.add(row.pkg() + " (layer " + row.layer() + ") -> " + target
                            + " (layer " + to.layer() + ")");
                }
            }
        }
        assertTrue(notDown.isEmpty(), "ArchitectureTest.TABLE allows imports that do not point down: " + notDown);
    }

    @Test
    void importsPointOnlyDown() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Source source : sources()) {
            Row row = ROWS.get(source.pkg());
            Set<String> allowed = row == null ? Set.of() : row.mayImport();
            for (Reference ref : source.references()) {
                String target = packageOf(ref.name());
                if (target != null && !target.equals(source.pkg()) && !allowed.contains(target)) {
                    violations.add(source.shortPath() + ":" + ref.line() + ": " + ref.name() + " (" + source.pkg()
                            + " may import only " + new TreeSet<>(allowed) + ")");
                }
            }
        }
        assertTrue(violations.isEmpty(), "imports that do not point down (docs/architecture.md):\n  "
                + String.join("\n  ", violations));
    }

    @Test
    void theDaemonClientUsesOnlyJavaAndItself() throws IOException {
        List<Source> client = clientSources();
        Set<String> clientClasses = client.stream().map(Source::className).collect(Collectors.toSet());
        Set<String> clientSimpleNames = client.stream().map(Source::simpleName).collect(Collectors.toSet());
        List<Source> all = sources();
        List<String> violations = new ArrayList<>();
        for (Source source : client) {
            List<Reference> refs = new ArrayList<>(source.references());
            Matcher qualified = ANY_QUALIFIED.matcher(source.code());
            qualified.region(source.bodyStart(), source.code().length());
            while (qualified.find()) {
                refs.add(new Reference(qualified.group(), source.lineAt(qualified.start())));
            }
            for (Reference ref : refs) {
                if (!ref.name().startsWith("java.") && !isClientClass(ref.name(), clientClasses)) {
                    violations.add(source.shortPath() + ":" + ref.line() + ": " + ref.name());
                }
            }
            // a class of the same package needs no import: look for its simple name in the code
            for (Source sibling : all) {
                if (sibling.pkg().equals(source.pkg()) && !clientSimpleNames.contains(sibling.simpleName())
                        && !(source.className().equals("org.walj.cli.ClientMain")
                                && sibling.className().equals(CLIENT_FALLBACK))) {
                    Matcher use = Pattern.compile("\\b" + sibling.simpleName() + "\\b").matcher(source.code());
                    if (use.find()) {
                        violations.add(source.shortPath() + ":" + source.lineAt(use.start()) + ": "
                                + sibling.className() + " (same package, not in the client jar)");
                    }
                }
            }
        }
        assertTrue(violations.isEmpty(), "the client jar's classes (pom.xml, execution 'client') may use only java.*"
                + " and each other:\n  " + String.join("\n  ", violations));
    }

    /** The client jar's class list must name sources that exist, or the client test above would check nothing. */
    @Test
    void theClientListNamesTheLauncherEntryAndTheDaemonClient() throws IOException {
        Set<String> names = clientSources().stream().map(Source::className).collect(Collectors.toSet());
        assertTrue(names.contains("org.walj.cli.ClientMain"), names.toString());
        assertTrue(names.contains("org.walj.daemon.DaemonClient"), names.toString());
        assertFalse(names.contains("org.walj.daemon.DaemonServer"), names.toString());
    }

    private static boolean isClientClass(String name, Set<String> clientClasses) {
        String pkg = packageOf(name);
        if (pkg == null) {
            return false;
        }
        String full = pkg.equals("root") ? ROOT : ROOT + "." + pkg;
        String rest = name.substring(full.length() + 1);
        String topLevel = rest.contains(".") ? rest.substring(0, rest.indexOf('.')) : rest;
        return clientClasses.contains(full + "." + topLevel);
    }

    /** The package (relative name, or {@code root}) of an {@code org.walj} name; null for anything else. */
    private static String packageOf(String name) {
        Matcher m = QUALIFIED.matcher(name);
        if (!m.lookingAt()) {
            return null;
        }
        String rel = m.group(1);
        return rel.isEmpty() ? "root" : rel.substring(1);
    }

    /** The sources that pom.xml puts into wal-j-client.jar, from its class list (nested classes are in them). */
    private static List<Source> clientSources() throws IOException {
        String pom = Files.readString(BASE.resolve("pom.xml"), StandardCharsets.UTF_8);
        Matcher execution = CLIENT_EXECUTION.matcher(pom);
        assertTrue(execution.find(), "pom.xml has no shade execution with <id>client</id>");
        List<Source> all = sources();
        List<Source> client = new ArrayList<>();
        Matcher include = INCLUDE.matcher(execution.group(1));
        while (include.find()) {
            String pattern = include.group(1);
            PathMatcher glob = FileSystems.getDefault().getPathMatcher("glob:" + pattern + ".java");
            List<Source> matched = all.stream()
                    .filter(s -> glob.matches(SOURCES.relativize(s.path()))).toList();
            assertFalse(matched.isEmpty(), "pom.xml's client list names " + pattern + ".class, but no source matches");
            client.addAll(matched);
        }
        assertFalse(client.isEmpty(), "pom.xml's client execution lists no classes");
        return client;
    }

    private static List<Source> sources() throws IOException {
        try (Stream<Path> files = Files.walk(SOURCES.resolve(ROOT.replace('.', '/')))) {
            List<Source> sources = new ArrayList<>();
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                sources.add(Source.read(file));
            }
            assertFalse(sources.isEmpty(), "no sources under " + SOURCES);
            return sources;
        }
    }

    private static Row row(int layer, String pkg, String mayImport) {
        String names = mayImport.trim();
        return new Row(layer, pkg, names.isEmpty() ? Set.of() : Set.of(names.split("\\s+")));
    }

    private record Row(int layer, String pkg, Set<String> mayImport) {
    }

    private record Reference(String name, int line) {
    }

    /** One source file: its text with comments and string literals blanked (line breaks kept). */
    private record Source(Path path, String pkg, String simpleName, String code) {

        static Source read(Path file) throws IOException {
            Path dir = SOURCES.relativize(file.getParent());
            String full = dir.toString().replace(file.getFileSystem().getSeparator(), ".");
            String pkg = full.equals(ROOT) ? "root" : full.substring(ROOT.length() + 1);
            String name = file.getFileName().toString();
            return new Source(file, pkg, name.substring(0, name.length() - ".java".length()),
                    blankCommentsAndLiterals(Files.readString(file, StandardCharsets.UTF_8)));
        }

        Path shortPath() {
            return BASE.relativize(path);
        }

        String className() {
            return (pkg.equals("root") ? ROOT : ROOT + "." + pkg) + "." + simpleName;
        }

        /** Every import, and every fully qualified org.walj name used in the code. */
        List<Reference> references() {
            List<Reference> refs = new ArrayList<>();
            Matcher imports = IMPORT.matcher(code);
            while (imports.find()) {
                refs.add(new Reference(imports.group(1), lineAt(imports.start(1))));
            }
            Matcher qualified = QUALIFIED.matcher(code);
            qualified.region(bodyStart(), code.length());
            while (qualified.find()) {
                refs.add(new Reference(code.substring(qualified.start(), qualified.end()), lineAt(qualified.start())));
            }
            return refs;
        }

        /** Where the code after the package and import lines starts. */
        int bodyStart() {
            int end = 0;
            Matcher header = Pattern.compile("^\\s*(?:package|import)\\b[^;]*;", Pattern.MULTILINE).matcher(code);
            while (header.find()) {
                end = header.end();
            }
            return end;
        }

        int lineAt(int offset) {
            int line = 1;
            for (int i = 0; i < offset; i++) {
                if (code.charAt(i) == '\n') {
                    line++;
                }
            }
            return line;
        }
    }

    /** Comments, string and character literals (text blocks too) become spaces; line breaks stay for line numbers. */
    static String blankCommentsAndLiterals(String text) {
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            int end;
            if (text.startsWith("//", i)) {
                end = text.indexOf('\n', i);
                end = end < 0 ? text.length() : end;
            } else if (text.startsWith("/*", i)) {
                end = text.indexOf("*/", i + 2);
                end = end < 0 ? text.length() : end + 2;
            } else if (text.startsWith("\"\"\"", i)) {
                end = closing(text, i + 3, "\"\"\"");
            } else if (text.charAt(i) == '"' || text.charAt(i) == '\'') {
                end = closing(text, i + 1, String.valueOf(text.charAt(i)));
            } else {
                out.append(text.charAt(i++));
                continue;
            }
            for (; i < end; i++) {
                out.append(text.charAt(i) == '\n' ? '\n' : ' ');
            }
        }
        return out.toString();
    }

    private static int closing(String text, int from, String quote) {
        for (int i = from; i < text.length(); i++) {
            if (text.charAt(i) == '\\') {
                i++;
            } else if (text.startsWith(quote, i)) {
                return i + quote.length();
            }
        }
        return text.length();
    }
}
