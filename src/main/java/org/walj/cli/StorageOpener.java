package org.walj.cli;

import java.nio.file.Path;
import org.walj.UserException;
import org.walj.layout.StoragePrefix;
import org.walj.settings.Settings;
import org.walj.storage.Storage;
import org.walj.storage.azure.AzureOpener;
import org.walj.storage.file.FileStorage;
import org.walj.storage.gcs.GcsOpener;
import org.walj.storage.s3.S3Opener;
import org.walj.storage.swift.SwiftOpener;

/** Picks and opens the storage backend for a prefix, by its URL scheme as WAL-E does. */
final class StorageOpener {
    private StorageOpener() {
    }

    static Storage open(StoragePrefix prefix, GlobalOptions options, Settings settings) {
        return switch (prefix.scheme()) {
            case "file" -> new FileStorage(Path.of(prefix.fileRoot()));
            // each cloud backend sits behind its own class, so its client library loads only when used
            case "s3" -> S3Opener.open(prefix.bucket(), prefix.pathPrefix(), options.s3Options(), settings);
            case "gs" -> GcsOpener.open(prefix.bucket(), prefix.pathPrefix(), settings);
            case "wabs" -> AzureOpener.open(prefix.bucket(), prefix.pathPrefix(), options.wabsAccountName(), settings);
            case "swift" -> SwiftOpener.open(prefix.bucket(), prefix.pathPrefix(), settings);
            default -> throw new UserException("storage scheme \"" + prefix.scheme() + "\" is not supported yet",
                    "This wal-j build archives to file://, s3://, gs://, wabs:// and swift:// prefixes only.", null);
        };
    }
}
