package org.walj.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

import org.walj.UserException;
import org.walj.layout.StoragePrefix;
import org.walj.storage.Storage;
import org.walj.storage.s3.Credentials;
import org.walj.storage.s3.Encryption;
import org.walj.storage.s3.S3Endpoint;
import org.walj.storage.s3.S3Settings;
import org.walj.storage.s3.S3Storage;

/**
 * Reads WAL-E's S3 settings (and wal-j's own WALJ_S3_* additions, docs/s3.md) from options and environment.
 * A separate class so that the AWS SDK is loaded only for s3:// prefixes.
 */
final class S3Opener {
    private S3Opener() {
    }

    static Storage open(StoragePrefix prefix, GlobalOptions options, Environment env) {
        Optional<S3Endpoint> endpoint = env.get("WALE_S3_ENDPOINT").map(S3Endpoint::parse);
        int partMib = NumberVariable.read(env, "WALJ_S3_PART_SIZE_MIB", S3Settings.DEFAULT_PART_SIZE >> 20, 5, 1024);
        int parallel = NumberVariable.read(env, "WALJ_S3_PARALLEL_PARTS", S3Settings.DEFAULT_PARALLEL_PARTS, 1, 64);
        int timeout = NumberVariable.read(env, "WALJ_S3_REQUEST_TIMEOUT_SECONDS", 30, 1, 3600);
        return new S3Storage(new S3Settings(prefix.bucket(), prefix.pathPrefix(), env.get("AWS_REGION"), endpoint,
                credentials(options, env), encryption(env), env.get("WALE_S3_STORAGE_CLASS").orElse("STANDARD"),
                partMib << 20, parallel, Duration.ofSeconds(timeout), RetryOptions.policy(env)));
    }

    /** WAL-E's order: the instance profile when asked for, else an explicit key pair, else the SDK's default chain. */
    static Credentials credentials(GlobalOptions options, Environment env) {
        if (options.awsInstanceProfile || instanceProfile(env)) {
            return new Credentials.InstanceProfile();
        }
        Optional<String> keyId = Optional.ofNullable(options.awsAccessKeyId).filter(v -> !v.isEmpty())
                .or(() -> env.get("AWS_ACCESS_KEY_ID"));
        if (keyId.isEmpty()) {
            return new Credentials.DefaultChain();
        }
        String secret = env.get("AWS_SECRET_ACCESS_KEY").orElseThrow(() -> new UserException(
                "AWS access key id given but no AWS_SECRET_ACCESS_KEY",
                "An access key id (-k or AWS_ACCESS_KEY_ID) needs its secret key in AWS_SECRET_ACCESS_KEY.",
                "Set AWS_SECRET_ACCESS_KEY, or unset the key id to use the instance profile or ~/.aws."));
        Optional<String> token = env.get("AWS_SESSION_TOKEN").or(() -> env.get("AWS_SECURITY_TOKEN"));
        return new Credentials.Static(keyId.get(), secret, token);
    }

    /** WAL-E's parse_boolean_envvar: unset, empty, 0, false are false; 1, true are true; anything else an error. */
    static boolean instanceProfile(Environment env) {
        String value = env.get("AWS_INSTANCE_PROFILE").orElse("").toLowerCase(Locale.ROOT);
        return switch (value) {
            case "", "0", "false" -> false;
            case "1", "true" -> true;
            default -> throw new UserException("AWS_INSTANCE_PROFILE must be 1, true, 0 or false, not \""
                    + env.get("AWS_INSTANCE_PROFILE").orElse("") + "\"");
        };
    }

    /** WALJ_S3_SSE: AES256 (WAL-E's, the default), aws:kms (with WALJ_S3_SSE_KMS_KEY_ID) or none. */
    static Encryption encryption(Environment env) {
        String value = env.get("WALJ_S3_SSE").orElse("AES256");
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "aes256" -> new Encryption.Aes256();
            case "aws:kms", "kms" -> new Encryption.Kms(env.get("WALJ_S3_SSE_KMS_KEY_ID"));
            case "none", "off" -> new Encryption.None();
            default -> throw new UserException("WALJ_S3_SSE must be AES256, aws:kms or none, not \"" + value + "\"");
        };
    }
}
