package org.walj.storage.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.walj.UserException;
import org.walj.settings.SettingTable;
import org.walj.settings.Settings;

/** WAL-E's S3 credential order and boolean parsing, and wal-j's SSE switch. */
class S3OpenerTest {
    private static final SettingTable TABLE = SettingTable.of(S3Variables.ALL);

    private static Settings env(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return Settings.read(TABLE, m);
    }

    @Test
    void credentialsInWalEsOrder() {
        S3Opener.Options none = new S3Opener.Options(Optional.empty(), false);
        assertInstanceOf(Credentials.DefaultChain.class, S3Opener.credentials(none, env()));
        Credentials.Static s = (Credentials.Static) S3Opener.credentials(none,
                env("AWS_ACCESS_KEY_ID", "id", "AWS_SECRET_ACCESS_KEY", "sec", "AWS_SECURITY_TOKEN", "walE-token"));
        assertEquals(Optional.of("walE-token"), s.sessionToken());
        s = (Credentials.Static) S3Opener.credentials(none, env("AWS_ACCESS_KEY_ID", "id",
                "AWS_SECRET_ACCESS_KEY", "sec", "AWS_SESSION_TOKEN", "sdk-token", "AWS_SECURITY_TOKEN", "walE-token"));
        assertEquals(Optional.of("sdk-token"), s.sessionToken());
        S3Opener.Options k = new S3Opener.Options(Optional.of("from-flag"), false);
        s = (Credentials.Static) S3Opener.credentials(k, env("AWS_ACCESS_KEY_ID", "id", "AWS_SECRET_ACCESS_KEY", "sec"));
        assertEquals("from-flag", s.accessKeyId());
        assertInstanceOf(Credentials.InstanceProfile.class, S3Opener.credentials(none,
                env("AWS_INSTANCE_PROFILE", "True", "AWS_ACCESS_KEY_ID", "id", "AWS_SECRET_ACCESS_KEY", "sec")));
        UserException noSecret = assertThrows(UserException.class,
                () -> S3Opener.credentials(none, env("AWS_ACCESS_KEY_ID", "id")));
        assertTrue(noSecret.getMessage().contains("AWS_SECRET_ACCESS_KEY"));
    }

    @Test
    void instanceProfileIsWalEsBoolean() {
        for (String no : new String[] {"", "0", "false", "FALSE"}) {
            assertFalse(env("AWS_INSTANCE_PROFILE", no).value(S3Variables.INSTANCE_PROFILE), no);
        }
        for (String yes : new String[] {"1", "true", "True"}) {
            assertTrue(env("AWS_INSTANCE_PROFILE", yes).value(S3Variables.INSTANCE_PROFILE), yes);
        }
        UserException bad = assertThrows(UserException.class,
                () -> env("AWS_INSTANCE_PROFILE", "yes").value(S3Variables.INSTANCE_PROFILE));
        assertEquals("AWS_INSTANCE_PROFILE must be 1, true, 0 or false, not \"yes\"", bad.getMessage());
    }

    @Test
    void serverSideEncryptionChoices() {
        assertInstanceOf(Encryption.Aes256.class, S3Opener.encryption(env()));
        assertInstanceOf(Encryption.None.class, S3Opener.encryption(env("WALJ_S3_SSE", "none")));
        Encryption kms = S3Opener.encryption(env("WALJ_S3_SSE", "aws:kms", "WALJ_S3_SSE_KMS_KEY_ID", "k1"));
        assertEquals(Optional.of("k1"), kms.kmsKeyId());
        UserException bad = assertThrows(UserException.class, () -> S3Opener.encryption(env("WALJ_S3_SSE", "rot13")));
        assertTrue(bad.getMessage().contains("WALJ_S3_SSE"));
    }
}
