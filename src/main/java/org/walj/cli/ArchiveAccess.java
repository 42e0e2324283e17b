package org.walj.cli;

import java.io.IOException;
import org.walj.UserException;
import org.walj.layout.StoragePrefix;
import org.walj.pipeline.ObjectCodec;
import org.walj.settings.Settings;
import org.walj.storage.Storage;

/**
 * What every archive-touching subcommand needs: the parsed prefix, its opened storage, and the object codec. A
 * {@code shared} one belongs to the resident daemon and outlives the request that uses it.
 */
record ArchiveAccess(StoragePrefix prefix, Storage storage, ObjectCodec codec, boolean shared) implements AutoCloseable {

    static ArchiveAccess open(GlobalOptions options, Settings env) {
        String url = options.prefix(env).orElseThrow(() -> new UserException("no storage prefix defined",
                "Either set one of the --file-prefix, --gs-prefix or --s3-prefix options, or set one of the "
                        + "WALE_FILE_PREFIX, WALE_GS_PREFIX or WALE_S3_PREFIX environment variables.",
                "Example: WALE_FILE_PREFIX=file://localhost/var/backups/pg"));
        ObjectCodec codec = CodecOptions.codec(options, env);
        StoragePrefix prefix = StoragePrefix.parse(url);
        return new ArchiveAccess(prefix, StorageOpener.open(prefix, options, env), codec, false);
    }

    /** The same storage and codec for one request of the daemon: closing it leaves them open. */
    ArchiveAccess sharedView() {
        return new ArchiveAccess(prefix, storage, codec, true);
    }

    @Override
    public void close() throws IOException {
        if (!shared) {
            storage.close();
        }
    }
}
