package org.walj.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.walj.UserException;
import org.walj.layout.StoragePrefix;
import org.walj.pipeline.Compression;
import org.walj.storage.Storage;
import org.walj.storage.file.FileStorage;

/** What every archive-touching subcommand needs: the parsed prefix and its opened storage. */
record ArchiveAccess(StoragePrefix prefix, Storage storage, Compression compression) implements AutoCloseable {

    static ArchiveAccess open(GlobalOptions options, Environment env) {
        String url = options.prefix(env).orElseThrow(() -> new UserException("no storage prefix defined",
                "Either set one of the --file-prefix, --gs-prefix or --s3-prefix options, or set one of the "
                        + "WALE_FILE_PREFIX, WALE_GS_PREFIX or WALE_S3_PREFIX environment variables.",
                "Example: WALE_FILE_PREFIX=file://localhost/var/backups/pg"));
        if (options.gpgKeyId(env).isPresent()) {
            throw new UserException("GPG encryption is not supported yet",
                    "A GPG key id is configured (--gpg-key-id or WALE_GPG_KEY_ID), and this wal-j build cannot "
                            + "encrypt or decrypt.",
                    "Unset it to archive without encryption, or keep using WAL-E for encrypted archives for now.");
        }
        StoragePrefix prefix = StoragePrefix.parse(url);
        Storage storage = switch (prefix.scheme()) {
            case "file" -> new FileStorage(Path.of(prefix.fileRoot()));
            default -> throw new UserException("storage scheme \"" + prefix.scheme() + "\" is not supported yet",
                    "This wal-j build archives to file:// prefixes only.", null);
        };
        return new ArchiveAccess(prefix, storage, Compression.LZO);
    }

    @Override
    public void close() throws IOException {
        storage.close();
    }
}
