package org.walj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** Every {@code --pool-size} is refused below 1 as a usage error, before the command opens the archive. */
class PoolSizeTest {

    @ParameterizedTest
    @ValueSource(strings = {"backup-push /nonexistent", "backup-fetch /nonexistent LATEST", "backup-verify LATEST",
            "restore /nonexistent", "wal-push /nonexistent/000000010000000000000001"})
    void zeroIsAUsageErrorNamingTheOption(String command) {
        String[] args = ("--file-prefix file://localhost/nonexistent-archive " + command.replaceFirst(" ",
                " --pool-size 0 ")).split(" ");
        CommandLine cmd = Main.commandLine(args, AllSettings.read(Map.of()));
        StringWriter err = new StringWriter();
        cmd.setErr(new PrintWriter(err, true));
        int status = cmd.execute(args);
        assertEquals(ExitStatus.USAGE, status, err.toString());
        assertTrue(err.toString().contains("error: --pool-size must be at least 1"), err.toString());
    }

    @Test
    void theDefaultIsAtLeastWalEsFour() {
        assertTrue(PoolSize.orDefault(null) >= PoolSize.MINIMUM_DEFAULT);
        assertEquals(7, PoolSize.orDefault(7));
    }
}
