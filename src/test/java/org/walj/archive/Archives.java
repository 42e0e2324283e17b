package org.walj.archive;

import java.nio.file.Path;
import org.walj.layout.StoragePrefix;
import org.walj.pipeline.codecs.Compression;
import org.walj.pipeline.Encryption;
import org.walj.pipeline.ObjectCodec;
import org.walj.storage.Storage;
import org.walj.storage.file.FileStorage;

/** Archives for unit tests: on the file backend at a directory, or on a given storage named as that directory. */
public final class Archives {
    /** lzop, no encryption: what a wal-j without settings writes. */
    public static final ObjectCodec LZO = Compression.LZO.with(Encryption.NONE);

    private Archives() {
    }

    public static Archive file(Path root) {
        return file(root, LZO);
    }

    public static Archive file(Path root, ObjectCodec codec) {
        return on(new FileStorage(root), root, codec);
    }

    /** {@code storage} where the prefix shows only in messages: named {@code file://localhost/unit-test-archive}. */
    public static Archive on(Storage storage, ObjectCodec codec) {
        return on(storage, Path.of("/unit-test-archive"), codec);
    }

    /** {@code storage} (a stand-in, a wrapper) as the archive at {@code file://localhost<root>}. */
    public static Archive on(Storage storage, Path root, ObjectCodec codec) {
        return Archive.of(StoragePrefix.parse("file://localhost" + root), storage, codec);
    }
}
