package org.walj.pipeline.gpg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KeySpecTest {

    @Test
    void idsAndFingerprintsAreRecognisedWithOrWithout0xAndSpaces() {
        assertEquals(KeySpec.Kind.SHORT_ID, KeySpec.parse("0xB04AE67A").kind());
        assertEquals(KeySpec.Kind.LONG_ID, KeySpec.parse("8D2107DDB04AE67A").kind());
        KeySpec fpr = KeySpec.parse("4BE8 B062 A5E0 0AB8 76DB  8DDF 8D21 07DD B04A E67A");
        assertEquals(KeySpec.Kind.FINGERPRINT, fpr.kind());
        assertEquals("4BE8B062A5E00AB876DB8DDF8D2107DDB04AE67A", fpr.hex());
        assertEquals("B04AE67A", KeySpec.parse("b04ae67a").hex());
    }

    @Test
    void anythingElseIsAUserIdMatchedCaseInsensitively() {
        KeySpec spec = KeySpec.parse("Alice@Example.org");
        assertEquals(KeySpec.Kind.USER_ID, spec.kind());
        assertEquals("alice@example.org", spec.hex());
        assertEquals(KeySpec.Kind.USER_ID, KeySpec.parse("deadbeef0").kind(), "9 hex digits is no key id");
    }

    @Test
    void passphraseNeverAppearsInToStringOrSource() throws Exception {
        Passphrase fromEnv = new Passphrase(Optional.of("s3cret-value"), Optional.empty());
        assertFalse(fromEnv.toString().contains("s3cret"), fromEnv.toString());
        assertEquals("WALJ_GPG_PASSPHRASE", fromEnv.source());
        assertEquals("s3cret-value", new String(fromEnv.read().orElseThrow()));
        Passphrase none = Passphrase.none();
        assertFalse(none.configured());
        assertTrue(none.read().isEmpty());
        GpgSettings settings = new GpgSettings("k", Path.of("/h"), Optional.empty(), Optional.empty(), fromEnv);
        assertFalse(settings.toString().contains("s3cret"), settings.toString());
    }

    @Test
    void passphraseFileGivesItsFirstLineAndAnUnreadableFileIsNamedWithoutContent() throws Exception {
        Path file = java.nio.file.Files.createTempFile("walj-pass", ".txt");
        try {
            java.nio.file.Files.writeString(file, "first line pass\r\nsecond\n");
            Passphrase p = new Passphrase(Optional.of("ignored"), Optional.of(file));
            assertEquals("first line pass", new String(p.read().orElseThrow()));
            assertEquals("WALJ_GPG_PASSPHRASE_FILE=" + file, p.source());
        } finally {
            java.nio.file.Files.delete(file);
        }
        Passphrase missing = new Passphrase(Optional.empty(), Optional.of(Path.of("/nonexistent/pass")));
        GpgKeyException e = org.junit.jupiter.api.Assertions.assertThrows(GpgKeyException.class, missing::read);
        assertTrue(e.getMessage().startsWith("cannot read the GPG passphrase file /nonexistent/pass"),
                e.getMessage());
    }
}
