package org.walj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class GlobalOptionsTest {

    private static GlobalOptions parse(String... args) {
        WalJCommand root = new WalJCommand(new Environment(Map.of()), List.of(args));
        new CommandLine(root).parseArgs(args);
        return root.globals();
    }

    @Test
    void optionsWinOverEnvironmentInWalEsOrder() {
        Environment env = new Environment(Map.of("WALE_S3_PREFIX", "s3://env/x", "WALE_FILE_PREFIX", "file://localhost/env"));
        assertEquals("file://localhost/env", parse("version").prefix(env).orElseThrow());
        assertEquals("s3://opt/y", parse("--s3-prefix", "s3://opt/y", "version").prefix(env).orElseThrow());
        assertEquals("file://localhost/a",
                parse("--s3-prefix", "s3://b/y", "--file-prefix", "file://localhost/a", "version").prefix(env).orElseThrow());
        assertEquals("s3://env/x", parse("version").prefix(new Environment(Map.of("WALE_S3_PREFIX", "s3://env/x",
                "WALE_WABS_PREFIX", "wabs://c/p"))).orElseThrow());
    }

    @Test
    void emptyValuesCountAsUnset() {
        Environment env = new Environment(Map.of("WALE_FILE_PREFIX", "", "WALE_GS_PREFIX", "gs://b/p", "WALE_GPG_KEY_ID", ""));
        assertEquals("gs://b/p", parse("version").prefix(env).orElseThrow());
        assertTrue(parse("version").gpgKeyId(env).isEmpty());
        assertTrue(parse("version").prefix(new Environment(Map.of())).isEmpty());
    }

    @Test
    void gpgKeyIdFromOptionOrEnvironment() {
        assertEquals("ABC", parse("version").gpgKeyId(new Environment(Map.of("WALE_GPG_KEY_ID", "ABC"))).orElseThrow());
        assertEquals("DEF", parse("--gpg-key-id", "DEF", "version")
                .gpgKeyId(new Environment(Map.of("WALE_GPG_KEY_ID", "ABC"))).orElseThrow());
    }
}
