package org.walj.wal;

import java.nio.file.Path;
import java.util.Optional;
import org.walj.pipeline.BlockMemo;

/**
 * Where wal-push finds a segment's blocks encoded before PostgreSQL finished it (the resident daemon follows the
 * segment being written). A memo is handed out once: the upload that takes it owns it.
 */
public interface BlockMemos {
    /** None: every block is encoded when the segment is pushed (a wal-push in its own JVM). */
    BlockMemos NONE = segment -> Optional.empty();

    /** The memo for the WAL file at {@code segment} (absolute, normalised), removed from here; empty if none. */
    Optional<BlockMemo> take(Path segment);
}
