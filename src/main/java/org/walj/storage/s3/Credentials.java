package org.walj.storage.s3;

import java.util.Objects;
import java.util.Optional;

/** Where the S3 credentials come from, in WAL-E's order. Secrets never appear in {@link #toString()}. */
public sealed interface Credentials {

    /** An access key pair, with an optional session token (AWS_SESSION_TOKEN or WAL-E's AWS_SECURITY_TOKEN). */
    record Static(String accessKeyId, String secretAccessKey, Optional<String> sessionToken) implements Credentials {
        public Static {
            Objects.requireNonNull(accessKeyId, "accessKeyId");
            Objects.requireNonNull(secretAccessKey, "secretAccessKey");
            Objects.requireNonNull(sessionToken, "sessionToken");
        }

        @Override
        public String toString() {
            // the key id is not secret, but keep it out of logs anyway; nothing else is ever printed
            return "Static[accessKeyId=<redacted>, secretAccessKey=<redacted>, sessionToken="
                    + (sessionToken.isPresent() ? "<redacted>" : "none") + "]";
        }
    }

    /** The EC2 instance profile (--aws-instance-profile, AWS_INSTANCE_PROFILE). */
    record InstanceProfile() implements Credentials {
    }

    /** The AWS SDK's default chain: profiles, web identity, container and instance metadata. */
    record DefaultChain() implements Credentials {
    }
}
