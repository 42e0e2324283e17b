package org.walj.storage.azure;

import java.util.List;
import org.walj.UserException;
import org.walj.settings.Scope;
import org.walj.settings.Setting;

/**
 * The Azure backend's settings (docs/azure.md): WAL-E's WABS_* names and wal-j's WALJ_WABS_* additions. Declarations
 * only, no Azure SDK class: the table of every setting loads this without loading the SDK.
 */
public final class AzureVariables {
    private static final Scope MATCH = Scope.MUST_MATCH_DAEMON;

    public static final Setting<String> ACCOUNT_NAME = Setting.text("WABS_ACCOUNT_NAME", MATCH,
            "Storage account name (or -a/--wabs-account-name).");
    public static final Setting<String> ACCESS_KEY = Setting.secret("WABS_ACCESS_KEY", MATCH,
            "The storage account's shared key (base64); signs every request when set.");
    public static final Setting<String> SAS_TOKEN = Setting.secret("WABS_SAS_TOKEN", MATCH,
            "A shared access signature (query string), used when WABS_ACCESS_KEY is unset.");
    public static final Setting<AzureEndpoint> ENDPOINT = Setting.of("WALJ_WABS_ENDPOINT", MATCH,
            AzureVariables::endpoint, null,
            "Blob service URL instead of https://ACCOUNT.blob.core.windows.net (emulators, sovereign clouds).");
    public static final Setting<Integer> BLOCK_SIZE_MIB = Setting.integer("WALJ_WABS_BLOCK_SIZE_MIB", MATCH, 8, 1,
            4000, "Block size of staged uploads; smaller objects are sent in one request.");
    public static final Setting<Integer> PARALLEL_BLOCKS = Setting.integer("WALJ_WABS_PARALLEL_BLOCKS", MATCH, 3, 1,
            64, "Blocks uploaded at once per object.");
    public static final Setting<Integer> REQUEST_TIMEOUT_SECONDS = Setting.integer("WALJ_WABS_REQUEST_TIMEOUT_SECONDS",
            MATCH, 30, 1, 3600, "A stalled HTTP request fails after this long.");
    public static final List<Setting<?>> ALL = List.of(ACCOUNT_NAME, ACCESS_KEY, SAS_TOKEN, ENDPOINT, BLOCK_SIZE_MIB,
            PARALLEL_BLOCKS, REQUEST_TIMEOUT_SECONDS);

    private AzureVariables() {
    }

    private static AzureEndpoint endpoint(String name, String text) {
        try {
            return AzureEndpoint.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UserException("invalid " + name + ": " + e.getMessage(), null,
                    "Give the blob service URL, e.g. https://ACCOUNT.blob.core.windows.net or "
                            + "http://127.0.0.1:10000/devstoreaccount1; the SAS token goes in WABS_SAS_TOKEN.");
        }
    }
}
