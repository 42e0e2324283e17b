package org.walj.cli;

import java.util.Locale;
import org.walj.postgres.WalSegmentSize;
import picocli.CommandLine;

/** {@code --wal-segment-size}: bytes, or MB; wal-verify and backup-verify count segments with it. */
final class WalSegmentSizeOption {
    static final String DESCRIPTION = "The cluster's WAL segment size (initdb --wal-segsize); default 16 MiB, which "
            + "the archive cannot confirm. A suffix MB is accepted.";

    private WalSegmentSizeOption() {
    }

    static WalSegmentSize parse(String value, CommandLine cmd) {
        if (value == null) {
            return WalSegmentSize.DEFAULT;
        }
        String v = value.strip().toUpperCase(Locale.ROOT);
        long factor = v.endsWith("MB") ? 1024L * 1024 : 1;
        try {
            long n = Long.parseLong(v.endsWith("MB") ? v.substring(0, v.length() - 2).strip() : v) * factor;
            if (WalSegmentSize.isValid(n)) {
                return new WalSegmentSize(n);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new CommandLine.ParameterException(cmd,
                "--wal-segment-size must be a power of two from 1MB to 1024MB, not \"" + value + "\"");
    }
}
