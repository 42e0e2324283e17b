package org.walj.it.harness;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a copy recovered from the archive must reproduce of its source: the WAL position after the source's last
 * write and the source's tables, dumped. Taken while the source still runs.
 */
public record SourceState(String endOfWrites, Map<String, Path> tables) {

    /**
     * The current WAL position, then {@code tables} dumped into {@code directory}. A test that waits for the archive
     * between its last write and the dump reads the position itself: background WAL written meanwhile would not be
     * archived, and recovery could never reach it.
     */
    public static SourceState capture(PgCluster source, List<String> tables, Path directory) {
        String endOfWrites = source.currentWalLsn();
        return new SourceState(endOfWrites, source.dumpTables(tables, directory));
    }
}
