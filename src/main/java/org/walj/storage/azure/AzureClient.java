package org.walj.storage.azure;

import java.time.Duration;
import java.util.Objects;

import com.azure.core.credential.AzureSasCredential;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;

/**
 * The SDK's clients for one container, over the JDK's HTTP client, with the SDK's own retries off (the shared
 * {@link org.walj.storage.Retrier} retries and logs) and the upload geometry.
 */
public record AzureClient(String account, String endpoint, BlobContainerClient container,
        int blockSize, int parallelBlocks, Duration requestTimeout) {

    public AzureClient {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(container, "container");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (blockSize < 1 || parallelBlocks < 1) {
            throw new IllegalArgumentException("block size and parallel blocks must be positive");
        }
    }

    /** How requests are signed: the account's shared key, or a SAS token. */
    public sealed interface Auth {
    }

    /** @param key the base64 account key, already checked to decode */
    public record SharedKey(String key) implements Auth {
        @Override
        public String toString() {
            return "SharedKey[***]";
        }
    }

    /** @param token the SAS query string without a leading '?' */
    public record Sas(String token) implements Auth {
        @Override
        public String toString() {
            return "Sas[***]";
        }
    }

    public static AzureClient create(String account, AzureEndpoint endpoint, String containerName, Auth auth,
            int blockSize, int parallelBlocks, Duration requestTimeout) {
        BlobServiceClientBuilder builder = new BlobServiceClientBuilder()
                .endpoint(endpoint.url())
                .httpClient(new JdkHttpClientBuilder()
                        .connectionTimeout(Duration.ofSeconds(5))
                        .responseTimeout(requestTimeout)
                        .readTimeout(requestTimeout)
                        .writeTimeout(requestTimeout)
                        .build())
                .retryOptions(new RequestRetryOptions(RetryPolicyType.FIXED, 1, (Integer) null, null, null, null));
        if (auth instanceof SharedKey k) {
            builder.credential(new StorageSharedKeyCredential(account, k.key()));
        } else if (auth instanceof Sas s) {
            builder.credential(new AzureSasCredential(s.token()));
        }
        BlobServiceClient service = builder.buildClient();
        return new AzureClient(account, endpoint.url(), service.getBlobContainerClient(containerName), blockSize, parallelBlocks, requestTimeout);
    }

}
