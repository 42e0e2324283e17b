package org.walj.storage.s3;

import java.util.ArrayList;
import java.util.List;

import software.amazon.awssdk.http.auth.aws.scheme.AwsV4AuthScheme;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.spi.scheme.AuthSchemeOption;
import software.amazon.awssdk.services.s3.auth.scheme.S3AuthSchemeParams;
import software.amazon.awssdk.services.s3.auth.scheme.S3AuthSchemeProvider;

/**
 * Sends multipart parts ({@code UploadPart}) as plain bodies instead of aws-chunked ones. A part is in memory already,
 * so its checksum (CRC32 on AWS) or, on plain {@code http}, its SHA-256 payload signature is computed over the buffer
 * in one pass before sending; the SDK's chunked encoder copied every byte into a new array per 128 KiB chunk, as much
 * garbage as data uploaded, which raised a backup-push's peak RSS and CPU (docs/performance.md).
 * <p>
 * Single PUTs ({@code PutObject}: WAL segments) keep the chunked encoding: there signing streams with the sending,
 * whereas a whole-body signature must be computed before the first byte goes out, which made a cold wal-push of a
 * 16 MiB segment over {@code http} ~0.2 s slower.
 */
final class UnchunkedParts implements S3AuthSchemeProvider {
    private final S3AuthSchemeProvider delegate;

    UnchunkedParts(S3AuthSchemeProvider delegate) {
        this.delegate = delegate;
    }

    @Override
    public List<AuthSchemeOption> resolveAuthScheme(S3AuthSchemeParams params) {
        List<AuthSchemeOption> options = delegate.resolveAuthScheme(params);
        if (!"UploadPart".equals(params.operation())) {
            return options;
        }
        List<AuthSchemeOption> unchunked = new ArrayList<>(options.size());
        for (AuthSchemeOption option : options) {
            // only signatures of the SigV4 family know the property
            unchunked.add(option.schemeId().startsWith(AwsV4AuthScheme.SCHEME_ID)
                    ? option.toBuilder().putSignerProperty(AwsV4FamilyHttpSigner.CHUNK_ENCODING_ENABLED, false).build()
                    : option);
        }
        return unchunked;
    }
}
