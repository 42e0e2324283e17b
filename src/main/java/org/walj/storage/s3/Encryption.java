package org.walj.storage.s3;

import java.util.Objects;
import java.util.Optional;

import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * The server-side-encryption header sent with every upload. WAL-E always sends {@code AES256} (boto's
 * {@code encrypt_key=True}); some S3-compatible stores (Ceph without SSE configured) reject the header, so it can be
 * turned off; SSE-KMS takes an optional key id.
 */
public sealed interface Encryption {

    /** The {@code x-amz-server-side-encryption} value, or null to send no header. */
    ServerSideEncryption header();

    /** The {@code x-amz-server-side-encryption-aws-kms-key-id} value, if any. */
    default Optional<String> kmsKeyId() {
        return Optional.empty();
    }

    record None() implements Encryption {
        @Override
        public ServerSideEncryption header() {
            return null;
        }
    }

    record Aes256() implements Encryption {
        @Override
        public ServerSideEncryption header() {
            return ServerSideEncryption.AES256;
        }
    }

    record Kms(Optional<String> keyId) implements Encryption {
        public Kms {
            Objects.requireNonNull(keyId, "keyId");
        }

        @Override
        public ServerSideEncryption header() {
            return ServerSideEncryption.AWS_KMS;
        }

        @Override
        public Optional<String> kmsKeyId() {
            return keyId;
        }
    }
}
