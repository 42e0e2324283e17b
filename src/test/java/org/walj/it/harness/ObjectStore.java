package org.walj.it.harness;

import java.util.List;
import java.util.Map;

/**
 * An object-store backend as the ITs run it: a real server over HTTP with a test bucket, so one scenario can run
 * against each backend in turn. Names follow WAL-E's per-backend conventions, which differ (GCS names start with
 * a slash).
 */
public interface ObjectStore extends AutoCloseable {

    /** wal-j's settings for an archive under {@code pathPrefix} in the test bucket, with production retries. */
    Map<String, String> archiveEnv(String pathPrefix);

    /** The names of the objects under {@code pathPrefix}, as the backend lists them. */
    List<String> names(String pathPrefix);

    /** The backend's name for {@code key} (such as {@code wal_005/...}) in an archive under {@code pathPrefix}. */
    String objectName(String pathPrefix, String key);

    @Override
    void close();
}
