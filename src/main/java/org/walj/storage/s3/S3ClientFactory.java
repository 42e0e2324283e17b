package org.walj.storage.s3;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.InstanceProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.endpoints.Endpoint;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.auth.scheme.S3AuthSchemeProvider;

/**
 * Builds the SDK client for the settings. The HTTP client is the JDK-based {@link UrlConnectionHttpClient}: it loads
 * a fraction of the classes of the Apache or Netty clients, which matters because wal-push starts one JVM per WAL
 * segment; its lack of connection pooling tuning does not matter for a handful of requests per process. Its
 * connections come from {@link Connections}, which leaves TLS set-up to the first {@code https} request.
 * The SDK's own retries are off: {@link org.walj.storage.Retrier} retries, logs each retry and keeps the deadline.
 */
final class S3ClientFactory {
    /** WAL-E forces boto's socket timeout to 5 s; connecting gets the same. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Region used to sign requests when none is known; S3 answers with the bucket's real region, which the SDK follows. */
    static final Region FALLBACK_REGION = Region.US_EAST_1;

    private static final Pattern SUBDOMAIN_SAFE = Pattern.compile("[a-z0-9][a-z0-9-]{1,61}[a-z0-9]");

    private S3ClientFactory() {
    }

    static S3Client build(S3Settings settings) {
        S3ClientBuilder b = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.create(
                        new Connections(CONNECT_TIMEOUT, settings.requestTimeout())))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                // HttpURLConnection's "Expect: 100-continue" handling loses request bodies when the server answers
                // early or closes a kept-alive connection (seen against S3Proxy under concurrent uploads); the
                // round trip it would save matters only for large bodies rejected outright
                .serviceConfiguration(c -> c.expectContinueEnabled(false))
                .authSchemeProvider(new UnchunkedParts(S3AuthSchemeProvider.defaultProvider()))
                .credentialsProvider(credentials(settings.credentials()));
        if (settings.endpoint().isPresent()) {
            S3Endpoint endpoint = settings.endpoint().get();
            // S3-compatible stores: sign for AWS_REGION if given (MinIO and Ceph accept us-east-1 otherwise), and
            // send plain bodies with no checksum trailers, which older Ceph and MinIO releases refuse
            b.region(settings.region().map(Region::of).orElse(FALLBACK_REGION))
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
            switch (endpoint.style()) {
                case PATH -> b.endpointOverride(endpoint.baseUri(settings.bucket())).forcePathStyle(true);
                // the SDK puts the bucket in front of the host itself
                case SUBDOMAIN -> b.endpointOverride(hostOnly(endpoint)).forcePathStyle(false);
                // boto's VHostCallingFormat: the bucket name is the host name and the path is the key alone. The
                // SDK adds the bucket to the path (or the host) after every interceptor has run, so only an
                // endpoint provider can say "this URL, as is"; the signing region stays the client's
                case VIRTUALHOST -> {
                    URI base = endpoint.baseUri(settings.bucket());
                    b.endpointProvider(params -> CompletableFuture.completedFuture(
                            Endpoint.builder().url(base).build()));
                }
            }
        } else if (settings.region().isPresent()) {
            b.region(Region.of(settings.region().get())).forcePathStyle(!subdomainSafe(settings.bucket()));
        } else {
            // no AWS_REGION: WAL-E refuses; we let the SDK find the bucket's region from S3's redirect
            b.region(FALLBACK_REGION).crossRegionAccessEnabled(true).forcePathStyle(!subdomainSafe(settings.bucket()));
        }
        return b.build();
    }

    /** WAL-E's rule: virtual-host addressing only for lower-case, DNS-safe names without dots. */
    static boolean subdomainSafe(String bucket) {
        return SUBDOMAIN_SAFE.matcher(bucket).matches();
    }

    private static URI hostOnly(S3Endpoint endpoint) {
        return URI.create((endpoint.https() ? "https" : "http") + "://" + endpoint.host()
                + (endpoint.port() < 0 ? "" : ":" + endpoint.port()));
    }

    private static AwsCredentialsProvider credentials(Credentials credentials) {
        if (credentials instanceof Credentials.Static s) {
            return StaticCredentialsProvider.create(s.sessionToken().isPresent()
                    ? AwsSessionCredentials.create(s.accessKeyId(), s.secretAccessKey(), s.sessionToken().get())
                    : AwsBasicCredentials.create(s.accessKeyId(), s.secretAccessKey()));
        }
        if (credentials instanceof Credentials.InstanceProfile) {
            return InstanceProfileCredentialsProvider.create();
        }
        return DefaultCredentialsProvider.builder().build();
    }
}
