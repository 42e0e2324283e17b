package org.walj.storage.s3;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

import org.walj.UserException;
import org.walj.settings.Settings;
import org.walj.storage.RetrySettings;
import org.walj.storage.Storage;

/**
 * Opens an s3:// prefix from {@link S3Variables} and the two S3 options of the command line. A class apart from the
 * declarations so that the AWS SDK is loaded only for s3:// prefixes.
 */
public final class S3Opener {
    private S3Opener() {
    }

    /**
     * The command line's say in S3 credentials: {@code -k}/{@code --aws-access-key-id} (empty: not given) and
     * {@code --aws-instance-profile}.
     */
    public record Options(Optional<String> accessKeyId, boolean instanceProfile) {
    }

    public static Storage open(String bucket, String pathPrefix, Options options, Settings settings) {
        // in the order these were always checked: with two bad values, the same one is reported
        Optional<S3Endpoint> endpoint = settings.get(S3Variables.ENDPOINT);
        int partMib = settings.value(S3Variables.PART_SIZE_MIB);
        int parallel = settings.value(S3Variables.PARALLEL_PARTS);
        int timeout = settings.value(S3Variables.REQUEST_TIMEOUT_SECONDS);
        return new S3Storage(new S3Settings(bucket, pathPrefix, settings.get(S3Variables.REGION), endpoint,
                credentials(options, settings), encryption(settings), settings.value(S3Variables.STORAGE_CLASS),
                partMib << 20, parallel, Duration.ofSeconds(timeout), RetrySettings.policy(settings)));
    }

    /** WAL-E's order: the instance profile when asked for, else an explicit key pair, else the SDK's default chain. */
    static Credentials credentials(Options options, Settings settings) {
        if (options.instanceProfile() || settings.value(S3Variables.INSTANCE_PROFILE)) {
            return new Credentials.InstanceProfile();
        }
        Optional<String> keyId = options.accessKeyId().or(() -> settings.get(S3Variables.ACCESS_KEY_ID));
        if (keyId.isEmpty()) {
            return new Credentials.DefaultChain();
        }
        String secret = settings.get(S3Variables.SECRET_ACCESS_KEY).orElseThrow(() -> new UserException(
                "AWS access key id given but no AWS_SECRET_ACCESS_KEY",
                "An access key id (-k or AWS_ACCESS_KEY_ID) needs its secret key in AWS_SECRET_ACCESS_KEY.",
                "Set AWS_SECRET_ACCESS_KEY, or unset the key id to use the instance profile or ~/.aws."));
        Optional<String> token = settings.get(S3Variables.SESSION_TOKEN)
                .or(() -> settings.get(S3Variables.SECURITY_TOKEN));
        return new Credentials.Static(keyId.get(), secret, token);
    }

    /** WALJ_S3_SSE: AES256 (WAL-E's, the default), aws:kms (with WALJ_S3_SSE_KMS_KEY_ID) or none. */
    static Encryption encryption(Settings settings) {
        String value = settings.value(S3Variables.SSE);
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "aes256" -> new Encryption.Aes256();
            case "aws:kms", "kms" -> new Encryption.Kms(settings.get(S3Variables.SSE_KMS_KEY_ID));
            case "none", "off" -> new Encryption.None();
            default -> throw new UserException("WALJ_S3_SSE must be AES256, aws:kms or none, not \"" + value + "\"");
        };
    }
}
