package org.walj.storage.azure;

import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

import org.walj.UserException;
import org.walj.settings.Settings;
import org.walj.storage.RetrySettings;
import org.walj.storage.Storage;

/**
 * Opens a wabs:// prefix (docs/azure.md) from {@link AzureVariables}, with WAL-E's rules: the account from
 * -a/--wabs-account-name or WABS_ACCOUNT_NAME; WABS_ACCESS_KEY or WABS_SAS_TOKEN, the key winning when both are set.
 * A class apart from the declarations so that the Azure SDK loads only for wabs:// prefixes.
 */
public final class AzureOpener {
    private AzureOpener() {
    }

    /** @param accountOption the -a/--wabs-account-name option, which wins over WABS_ACCOUNT_NAME */
    public static Storage open(String container, String pathPrefix, Optional<String> accountOption,
            Settings settings) {
        String account = accountOption.filter(v -> !v.isEmpty())
                .or(() -> settings.get(AzureVariables.ACCOUNT_NAME))
                .orElseThrow(() -> new UserException("WABS account name is undefined", null,
                        "Set WABS_ACCOUNT_NAME or pass -a/--wabs-account-name."));
        AzureClient.Auth auth = auth(settings);
        AzureEndpoint endpoint = settings.get(AzureVariables.ENDPOINT).orElseGet(() -> AzureEndpoint.ofAccount(account));
        AzureClient client = AzureClient.create(account, endpoint, container, auth,
                settings.value(AzureVariables.BLOCK_SIZE_MIB) << 20, settings.value(AzureVariables.PARALLEL_BLOCKS),
                Duration.ofSeconds(settings.value(AzureVariables.REQUEST_TIMEOUT_SECONDS)));
        return new AzureStorage(client, pathPrefix, RetrySettings.policy(settings));
    }

    private static AzureClient.Auth auth(Settings settings) {
        Optional<String> key = settings.get(AzureVariables.ACCESS_KEY);
        if (key.isPresent()) {
            try {
                Base64.getDecoder().decode(key.get().trim());
            } catch (IllegalArgumentException e) {
                // never show the value: a key with one typo is still nearly the secret
                throw new UserException("WABS_ACCESS_KEY is not a storage account key (not base64)", null,
                        "Copy key1 or key2 of the storage account into WABS_ACCESS_KEY.");
            }
            return new AzureClient.SharedKey(key.get().trim());
        }
        Optional<String> sas = settings.get(AzureVariables.SAS_TOKEN);
        if (sas.isPresent()) {
            String token = sas.get().trim();
            return new AzureClient.Sas(token.startsWith("?") ? token.substring(1) : token);
        }
        throw new UserException("WABS access credentials is required but not provided", null,
                "Define one of the WABS_ACCESS_KEY or WABS_SAS_TOKEN environment variables.");
    }
}
