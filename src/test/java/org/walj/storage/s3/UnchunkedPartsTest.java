package org.walj.storage.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.spi.scheme.AuthSchemeOption;
import software.amazon.awssdk.services.s3.auth.scheme.S3AuthSchemeParams;
import software.amazon.awssdk.services.s3.auth.scheme.S3AuthSchemeProvider;

/** Parts go out as plain bodies, everything else as the SDK decides (single PUTs keep aws-chunked signing). */
class UnchunkedPartsTest {
    private final UnchunkedParts provider = new UnchunkedParts(S3AuthSchemeProvider.defaultProvider());

    @Test
    void uploadPartIsSignedUnchunked() {
        List<AuthSchemeOption> options = resolve("UploadPart");
        assertFalse(options.isEmpty());
        for (AuthSchemeOption o : options) {
            assertEquals(Boolean.FALSE, o.signerProperty(AwsV4FamilyHttpSigner.CHUNK_ENCODING_ENABLED), o.schemeId());
        }
    }

    @Test
    void putObjectIsLeftAlone() {
        List<AuthSchemeOption> options = resolve("PutObject");
        assertFalse(options.isEmpty());
        for (AuthSchemeOption o : options) {
            // the SDK's own choice for single PUTs: chunked
            assertEquals(Boolean.TRUE, o.signerProperty(AwsV4FamilyHttpSigner.CHUNK_ENCODING_ENABLED), o.schemeId());
        }
    }

    private List<AuthSchemeOption> resolve(String operation) {
        return provider.resolveAuthScheme(S3AuthSchemeParams.builder().operation(operation)
                .region(software.amazon.awssdk.regions.Region.US_EAST_1).bucket("b").build());
    }
}
