package org.walj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.walj.UserException;
import org.walj.pipeline.codecs.Compression;
import org.walj.settings.Settings;
import picocli.CommandLine;

class GlobalOptionsTest {

    private static GlobalOptions parse(String... args) {
        WalJCommand root = new WalJCommand(AllSettings.read(Map.of()), List.of(args));
        CommandLine cmd = new CommandLine(root);
        Subcommands.register(cmd, List.of(args));
        cmd.parseArgs(args);
        return root.globals();
    }

    @Test
    void optionsWinOverEnvironmentInWalEsOrder() {
        Settings env = AllSettings.read(Map.of("WALE_S3_PREFIX", "s3://env/x", "WALE_FILE_PREFIX", "file://localhost/env"));
        assertEquals("file://localhost/env", parse("version").prefix(env).orElseThrow());
        assertEquals("s3://opt/y", parse("--s3-prefix", "s3://opt/y", "version").prefix(env).orElseThrow());
        assertEquals("file://localhost/a",
                parse("--s3-prefix", "s3://b/y", "--file-prefix", "file://localhost/a", "version").prefix(env).orElseThrow());
        assertEquals("s3://env/x", parse("version").prefix(AllSettings.read(Map.of("WALE_S3_PREFIX", "s3://env/x",
                "WALE_WABS_PREFIX", "wabs://c/p"))).orElseThrow());
    }

    @Test
    void emptyValuesCountAsUnset() {
        Settings env = AllSettings.read(Map.of("WALE_FILE_PREFIX", "", "WALE_GS_PREFIX", "gs://b/p", "WALE_GPG_KEY_ID", ""));
        assertEquals("gs://b/p", parse("version").prefix(env).orElseThrow());
        assertTrue(parse("version").gpgKeyId(env).isEmpty());
        assertTrue(parse("version").prefix(AllSettings.read(Map.of())).isEmpty());
    }

    @Test
    void aMissingPrefixNamesEveryOptionAndVariableThatWouldSetOne() {
        UserException e = assertThrows(UserException.class,
                () -> ArchiveOptions.open(parse("backup-list"), AllSettings.read(Map.of())));
        assertEquals("no storage prefix defined", e.getMessage());
        for (String name : List.of("--file-prefix", "--gs-prefix", "--s3-prefix", "--wabs-prefix", "WALE_FILE_PREFIX",
                "WALE_GS_PREFIX", "WALE_S3_PREFIX", "WALE_SWIFT_PREFIX", "WALE_WABS_PREFIX")) {
            assertTrue(e.detail().orElseThrow().contains(name), name + " in: " + e.detail());
        }
    }

    @Test
    void gpgKeyIdFromOptionOrEnvironment() {
        assertEquals("ABC", parse("version").gpgKeyId(AllSettings.read(Map.of("WALE_GPG_KEY_ID", "ABC"))).orElseThrow());
        assertEquals("DEF", parse("--gpg-key-id", "DEF", "version")
                .gpgKeyId(AllSettings.read(Map.of("WALE_GPG_KEY_ID", "ABC"))).orElseThrow());
    }

    @Test
    void compressionIsLzoUnlessTheOptionOrWaljCompressionSaysLz4() {
        Settings none = AllSettings.read(Map.of());
        Settings lz4 = AllSettings.read(Map.of("WALJ_COMPRESSION", "LZ4"));
        assertEquals(Compression.LZO, parse("version").compression(none));
        assertEquals(Compression.LZO, parse("version").compression(AllSettings.read(Map.of("WALJ_COMPRESSION", ""))));
        assertEquals(Compression.LZ4, parse("version").compression(lz4));
        assertEquals(Compression.LZ4, parse("--compression", "lz4", "version").compression(none));
        assertEquals(Compression.LZO, parse("--compression", "lzo", "version").compression(lz4), "the option wins");
    }

    @Test
    void anUnknownCompressionIsOneClearUserError() {
        UserException e = assertThrows(UserException.class,
                () -> parse("version").compression(AllSettings.read(Map.of("WALJ_COMPRESSION", "zstd"))));
        assertEquals("unknown compression \"zstd\"", e.getMessage());
        assertEquals("From WALJ_COMPRESSION.", e.detail().orElseThrow());
        assertEquals("From --compression.", assertThrows(UserException.class,
                () -> parse("--compression", "gz", "version").compression(AllSettings.read(Map.of())))
                .detail().orElseThrow());
    }
}
