package org.walj.storage.s3;

import java.util.List;
import org.walj.settings.Scope;
import org.walj.settings.Setting;
import org.walj.settings.VariableFamily;

/**
 * The S3 backend's settings (docs/s3.md): WAL-E's names and wal-j's WALJ_S3_* additions. Declarations only, no AWS
 * SDK class: the table of every setting loads this without loading the SDK.
 */
public final class S3Variables {
    private static final Scope MATCH = Scope.MUST_MATCH_DAEMON;

    public static final Setting<S3Endpoint> ENDPOINT = Setting.of("WALE_S3_ENDPOINT", MATCH,
            (name, text) -> S3Endpoint.parse(text), null, "S3-compatible endpoint (WAL-E's format).");
    public static final Setting<String> REGION = Setting.text("AWS_REGION", MATCH,
            "The bucket's region; detected when unset and no endpoint is given.");
    public static final Setting<String> STORAGE_CLASS = Setting.text("WALE_S3_STORAGE_CLASS", MATCH,
            "STANDARD", "x-amz-storage-class of what wal-j writes.");
    public static final Setting<Integer> PART_SIZE_MIB = Setting.integer("WALJ_S3_PART_SIZE_MIB", MATCH,
            S3Settings.DEFAULT_PART_SIZE >> 20, 5, 1024,
            "First multipart part size (larger objects are multipart) and the byte budget of all part buffers.");
    public static final Setting<Integer> PARALLEL_PARTS = Setting.integer("WALJ_S3_PARALLEL_PARTS", MATCH,
            S3Settings.DEFAULT_PARALLEL_PARTS, 1, 64, "Parts uploaded at once per object.");
    public static final Setting<Integer> REQUEST_TIMEOUT_SECONDS = Setting.integer("WALJ_S3_REQUEST_TIMEOUT_SECONDS",
            MATCH, 30, 1, 3600, "A stalled HTTP request fails after this long.");
    public static final Setting<String> ACCESS_KEY_ID = Setting.text("AWS_ACCESS_KEY_ID", MATCH,
            "Access key id (or -k).");
    public static final Setting<String> SECRET_ACCESS_KEY = Setting.secret("AWS_SECRET_ACCESS_KEY", MATCH,
            "The access key id's secret.");
    public static final Setting<String> SESSION_TOKEN = Setting.secret("AWS_SESSION_TOKEN", MATCH,
            "Session token of temporary credentials.");
    public static final Setting<String> SECURITY_TOKEN = Setting.secret("AWS_SECURITY_TOKEN", MATCH,
            "WAL-E's name of the session token, used when AWS_SESSION_TOKEN is unset.");
    public static final Setting<Boolean> INSTANCE_PROFILE = Setting.of("AWS_INSTANCE_PROFILE", MATCH,
            Setting::walEBoolean, false, "Take credentials from the EC2 instance profile (or --aws-instance-profile).");
    public static final Setting<String> SSE = Setting.text("WALJ_S3_SSE", MATCH, "AES256",
            "Server-side encryption: AES256, aws:kms or none.");
    public static final Setting<String> SSE_KMS_KEY_ID = Setting.text("WALJ_S3_SSE_KMS_KEY_ID", MATCH,
            "The KMS key of WALJ_S3_SSE=aws:kms; the bucket's default when unset.");
    public static final List<Setting<?>> ALL = List.of(ENDPOINT, REGION, STORAGE_CLASS, PART_SIZE_MIB, PARALLEL_PARTS,
            REQUEST_TIMEOUT_SECONDS, ACCESS_KEY_ID, SECRET_ACCESS_KEY, SESSION_TOKEN, SECURITY_TOKEN, INSTANCE_PROFILE,
            SSE, SSE_KMS_KEY_ID);
    /** The SDK's own variables (AWS_PROFILE, AWS_CONFIG_FILE, AWS_EC2_METADATA_SERVICE_ENDPOINT, ...). */
    public static final VariableFamily SDK = new VariableFamily("AWS_", MATCH,
            "the AWS SDK (credential chain, profiles, instance metadata)");

    private S3Variables() {
    }
}
