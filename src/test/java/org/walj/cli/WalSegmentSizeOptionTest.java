package org.walj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.walj.postgres.WalSegmentSize;
import picocli.CommandLine;

class WalSegmentSizeOptionTest {
    private static final CommandLine CMD = new CommandLine(CommandLine.Model.CommandSpec.create());

    @Test
    void bytesOrMegabytesAndSixteenWhenAbsent() {
        assertEquals(WalSegmentSize.DEFAULT, WalSegmentSizeOption.parse(null, CMD));
        assertEquals(new WalSegmentSize(64L << 20), WalSegmentSizeOption.parse("64MB", CMD));
        assertEquals(new WalSegmentSize(1L << 20), WalSegmentSizeOption.parse(" 1 mb ", CMD));
        assertEquals(WalSegmentSize.DEFAULT, WalSegmentSizeOption.parse("16777216", CMD));
    }

    @Test
    void anythingElseIsAUsageError() {
        for (String bad : new String[]{"3MB", "2048MB", "x", "", "-16MB"}) {
            CommandLine.ParameterException e = assertThrows(CommandLine.ParameterException.class,
                    () -> WalSegmentSizeOption.parse(bad, CMD), bad);
            assertEquals("--wal-segment-size must be a power of two from 1MB to 1024MB, not \"" + bad + "\"",
                    e.getMessage());
        }
    }
}
