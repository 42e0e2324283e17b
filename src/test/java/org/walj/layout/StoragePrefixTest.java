package org.walj.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.walj.UserException;

class StoragePrefixTest {

    @Test
    void pathPrefixGetsOneTrailingSlashLikeWalE() {
        assertEquals("bar/", StoragePrefix.parse("s3://foo/bar").pathPrefix());
        assertEquals("bar/", StoragePrefix.parse("s3://foo/bar/").pathPrefix());
        assertEquals("", StoragePrefix.parse("s3://foo").pathPrefix());
        assertEquals("a/b/", StoragePrefix.parse("gs://bucket/a/b").pathPrefix());
    }

    @Test
    void filePrefixIgnoresTheHostAndKeepsTheAbsolutePath() {
        StoragePrefix local = StoragePrefix.parse("file://localhost/var/backups/pg");
        assertEquals("file", local.scheme());
        assertEquals("/var/backups/pg/", local.fileRoot());
        assertEquals("/var/backups/pg/", StoragePrefix.parse("file:///var/backups/pg").fileRoot());
    }

    @Test
    void urlOfAnObjectIsWhatWalEPrints() {
        assertEquals("s3://bucket/pfx/wal_005/000000010000000000000002.lzo",
                StoragePrefix.parse("s3://bucket/pfx").urlOf("wal_005/000000010000000000000002.lzo"));
    }

    @Test
    void badSchemeIsWalEsUserError() {
        UserException e = assertThrows(UserException.class, () -> StoragePrefix.parse("ftp://host/x"));
        assertTrue(e.getMessage().startsWith("bad S3, Windows Azure Blob Storage"), e.getMessage());
    }

    @Test
    void unusablePrefixesAreRejectedWithTheReason() {
        assertThrows(UserException.class, () -> StoragePrefix.parse("file://localhost"));
        assertThrows(UserException.class, () -> StoragePrefix.parse("s3:///path-without-bucket"));
        assertThrows(UserException.class, () -> StoragePrefix.parse("s3://bucket/p?x=1"));
        assertThrows(UserException.class, () -> StoragePrefix.parse("not a url"));
    }
}
