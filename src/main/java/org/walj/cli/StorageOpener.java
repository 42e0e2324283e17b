package org.walj.cli;

import java.nio.file.Path;
import org.walj.UserException;
import org.walj.layout.StoragePrefix;
import org.walj.storage.Storage;
import org.walj.storage.file.FileStorage;

/** Picks and opens the storage backend for a prefix, by its URL scheme as WAL-E does. */
final class StorageOpener {
    private StorageOpener() {
    }

    static Storage open(StoragePrefix prefix, GlobalOptions options, Environment env) {
        return switch (prefix.scheme()) {
            case "file" -> new FileStorage(Path.of(prefix.fileRoot()));
            // each cloud backend sits behind its own class, so its client library loads only when used
            case "s3" -> S3Opener.open(prefix, options, env);
            case "gs" -> GcsOpener.open(prefix, env);
            default -> throw new UserException("storage scheme \"" + prefix.scheme() + "\" is not supported yet",
                    "This wal-j build archives to file://, s3:// and gs:// prefixes only.", null);
        };
    }
}
