package org.walj.cli;

import org.walj.UserException;
import org.walj.archive.Archive;
import org.walj.layout.StoragePrefix;
import org.walj.pipeline.ObjectCodec;
import org.walj.settings.Settings;

/** Opens the archive the options and the environment name: its prefix, storage backend and codec. */
final class ArchiveOptions {
    private ArchiveOptions() {
    }

    static Archive open(GlobalOptions options, Settings env) {
        String url = options.prefix(env).orElseThrow(() -> new UserException("no storage prefix defined",
                "Either set one of the --file-prefix, --gs-prefix, --s3-prefix or --wabs-prefix options, or set one"
                        + " of the WALE_FILE_PREFIX, WALE_GS_PREFIX, WALE_S3_PREFIX, WALE_SWIFT_PREFIX or"
                        + " WALE_WABS_PREFIX environment variables.",
                "Example: WALE_FILE_PREFIX=file://localhost/var/backups/pg"));
        ObjectCodec codec = CodecOptions.codec(options, env);
        StoragePrefix prefix = StoragePrefix.parse(url);
        return Archive.of(prefix, StorageOpener.open(prefix, options, env), codec);
    }
}
