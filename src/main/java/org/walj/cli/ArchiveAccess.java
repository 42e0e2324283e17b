package org.walj.cli;

import java.io.IOException;
import org.walj.UserException;
import org.walj.layout.StoragePrefix;
import org.walj.pipeline.ObjectCodec;
import org.walj.storage.Storage;

/** What every archive-touching subcommand needs: the parsed prefix, its opened storage, and the object codec. */
record ArchiveAccess(StoragePrefix prefix, Storage storage, ObjectCodec codec) implements AutoCloseable {

    static ArchiveAccess open(GlobalOptions options, Environment env) {
        String url = options.prefix(env).orElseThrow(() -> new UserException("no storage prefix defined",
                "Either set one of the --file-prefix, --gs-prefix or --s3-prefix options, or set one of the "
                        + "WALE_FILE_PREFIX, WALE_GS_PREFIX or WALE_S3_PREFIX environment variables.",
                "Example: WALE_FILE_PREFIX=file://localhost/var/backups/pg"));
        ObjectCodec codec = CodecOptions.codec(options, env);
        StoragePrefix prefix = StoragePrefix.parse(url);
        return new ArchiveAccess(prefix, StorageOpener.open(prefix, options, env), codec);
    }

    @Override
    public void close() throws IOException {
        storage.close();
    }
}
