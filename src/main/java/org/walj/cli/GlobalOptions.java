package org.walj.cli;

import java.util.Optional;
import org.walj.UserException;
import org.walj.pipeline.codecs.Compression;
import org.walj.settings.Settings;
import org.walj.storage.s3.S3Opener;
import java.util.stream.Stream;
import picocli.CommandLine.Option;

/** WAL-E's global options; they come before the subcommand, as with WAL-E. */
public final class GlobalOptions {
    @Option(names = "--file-prefix", paramLabel = "URL",
            description = "Archive in a local directory: file://localhost/absolute/path (env WALE_FILE_PREFIX).")
    String filePrefix;

    @Option(names = "--gs-prefix", paramLabel = "URL", description = "Google Cloud Storage: gs://bucket/path (env WALE_GS_PREFIX).")
    String gsPrefix;

    @Option(names = "--s3-prefix", paramLabel = "URL", description = "Amazon S3 or compatible: s3://bucket/path (env WALE_S3_PREFIX).")
    String s3Prefix;

    @Option(names = "--wabs-prefix", paramLabel = "URL", description = "Azure Blob Storage: wabs://container/path (env WALE_WABS_PREFIX).")
    String wabsPrefix;

    @Option(names = {"-k", "--aws-access-key-id"}, paramLabel = "ID", description = "AWS access key id (env AWS_ACCESS_KEY_ID).")
    String awsAccessKeyId;

    @Option(names = "--aws-instance-profile", description = "Take S3 credentials from the EC2 instance profile.")
    boolean awsInstanceProfile;

    @Option(names = "--gs-access-key-id", paramLabel = "ID", hidden = true, description = "Accepted for WAL-E compatibility; unused.")
    String gsAccessKeyId;

    @Option(names = {"-a", "--wabs-account-name"}, paramLabel = "NAME", description = "Azure storage account (env WABS_ACCOUNT_NAME).")
    String wabsAccountName;

    @Option(names = "--gpg-key-id", paramLabel = "KEY", description = "Encrypt to this GPG key; decrypt on fetch (env WALE_GPG_KEY_ID).")
    String gpgKeyId;

    @Option(names = "--compression", paramLabel = "lzo|lz4",
            description = "Compression of what wal-push and backup-push write: lzo (default, WAL-E's) or lz4 "
                    + "(env WALJ_COMPRESSION). Readers go by each object's suffix. WAL-E cannot read lz4.")
    String compression;

    @Option(names = "--terse", description = "Log only warnings and errors.")
    boolean terse;

    /** The prefix in WAL-E's precedence: options first, then environment variables, first non-empty wins. */
    Optional<String> prefix(Settings settings) {
        return Stream.of(filePrefix, gsPrefix, s3Prefix, wabsPrefix)
                .filter(v -> v != null && !v.isEmpty())
                .findFirst()
                .or(() -> CliVariables.PREFIXES.stream().map(settings::get).flatMap(Optional::stream).findFirst());
    }

    /** Whether a prefix option was given (else the prefix, if any, came from the environment). */
    boolean prefixGiven() {
        return Stream.of(filePrefix, gsPrefix, s3Prefix, wabsPrefix).anyMatch(v -> v != null && !v.isEmpty());
    }

    /** The option, else {@code WALJ_COMPRESSION}, else WAL-E's LZO; empty value means unset, as for the prefixes. */
    Compression compression(Settings settings) {
        Optional<String> name = Optional.ofNullable(compression).filter(v -> !v.isEmpty())
                .or(() -> settings.get(CliVariables.COMPRESSION));
        if (name.isEmpty()) {
            return Compression.LZO;
        }
        try {
            return Compression.parse(name.get());
        } catch (IllegalArgumentException e) {
            throw new UserException("unknown compression \"" + name.get() + "\"",
                    "From " + (compression != null && !compression.isEmpty() ? "--compression"
                            : CliVariables.COMPRESSION.name())
                            + ".",
                    "Use lzo (WAL-E's, the default) or lz4.");
        }
    }

    /** Called only for s3:// prefixes: the type belongs to the S3 backend. */
    S3Opener.Options s3Options() {
        return new S3Opener.Options(
                Optional.ofNullable(awsAccessKeyId).filter(v -> !v.isEmpty()), awsInstanceProfile);
    }

    /** Called only for wabs:// prefixes. */
    Optional<String> wabsAccountName() {
        return Optional.ofNullable(wabsAccountName).filter(v -> !v.isEmpty());
    }

    Optional<String> gpgKeyId(Settings settings) {
        return Optional.ofNullable(gpgKeyId).filter(v -> !v.isEmpty()).or(() -> settings.get(CliVariables.GPG_KEY_ID));
    }
}
