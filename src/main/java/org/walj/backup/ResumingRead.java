package org.walj.backup;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import org.walj.storage.ResumingStream;
import org.walj.storage.RetryPolicy;
import org.walj.storage.Storage;

/**
 * A partition's stored bytes, read again from where they broke off when the read fails ({@link ResumingStream}), so
 * the decoder and the extractor above never notice and nothing is written twice. The storage interface reads whole
 * objects only, so a continuation opens the object anew and drops the bytes already handed on; an object that is now
 * shorter than that fails the read as changed. Bounded by the shared {@link RetryPolicy} (WALJ_RETRY_ATTEMPTS,
 * WALJ_RETRY_DEADLINE_SECONDS). Only failures of the storage read are retried: a corrupt object fails in the decoder
 * above this stream, and a read that ends early (an object shorter than it was) ends here and is reported there as
 * truncated, so neither is ever retried.
 */
final class ResumingRead {
    private ResumingRead() {
    }

    /** {@code counted}: every byte read from storage, re-read ones too (the bytes a fetch moved). */
    static ResumingStream open(Storage storage, String key, RetryPolicy policy, LongAdder counted) throws IOException {
        return ResumingStream.open(storage.url(key), (offset, version) -> {
            InputStream in = new ProgressInputStream(storage.get(key), counted::add);
            try {
                skipExactly(in, offset, storage.url(key));
            } catch (IOException e) {
                in.close();
                throw e;
            }
            return ResumingStream.Body.of(in, -1, Optional.empty());
        }, policy);
    }

    private static void skipExactly(InputStream again, long n, String url) throws IOException {
        byte[] drop = new byte[64 * 1024];
        long left = n;
        while (left > 0) {
            int r = again.read(drop, 0, (int) Math.min(drop.length, left));
            if (r < 0) {
                throw new ResumingStream.ChangedObjectException(url + " is shorter than the " + n
                        + " bytes read before");
            }
            left -= r;
        }
    }
}
