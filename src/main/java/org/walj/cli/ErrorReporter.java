package org.walj.cli;

import java.io.IOException;
import java.io.PrintWriter;
import org.walj.UserException;
import org.walj.logging.FailureText;
import org.walj.logging.LogEvent;
import org.walj.logging.LoggerNames;
import org.walj.logging.WalELog;
import org.walj.settings.Settings;
import org.walj.storage.StorageUnavailableException;
import picocli.CommandLine;

/**
 * Turns every failure into WAL-E's log record (MSG/DETAIL/HINT, no stack trace) and an exit status.
 * A stack trace is printed only when WALJ_DEBUG is set, for bug reports.
 */
final class ErrorReporter implements CommandLine.IExecutionExceptionHandler {
    private static final WalELog LOG = WalELog.get(LoggerNames.MAIN);

    private final Settings settings;

    ErrorReporter(Settings settings) {
        this.settings = settings;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, CommandLine.ParseResult parseResult) {
        if (e instanceof CommandLine.ParameterException pe) {
            throw pe;
        }
        return handle(e, cmd.getErr(), settings);
    }

    /** A command's failure, reported; {@code err} gets the stack trace WALJ_DEBUG asks for. Returns the exit status. */
    static int handle(Exception e, PrintWriter err, Settings settings) {
        Throwable cause = e instanceof FailureExit.Failed f ? f.getCause() : e;
        report(cause);
        if (settings.isSet(CliVariables.DEBUG)) {
            e.printStackTrace(err);
        }
        return exitStatus(e);
    }

    static int exitStatus(Throwable e) {
        if (e instanceof FailureExit.Failed f) {
            return f.status();
        }
        if (e instanceof UserException || e instanceof IOException) {
            return ExitStatus.ERROR;
        }
        return ExitStatus.USAGE;
    }

    private static void report(Throwable e) {
        java.util.Optional<OutOfMemoryError> oom = OutOfMemory.in(e);
        if (oom.isPresent()) {
            LOG.error(LogEvent.msg(OutOfMemory.message(oom.get())).hint(OutOfMemory.HINT));
        } else if (e instanceof UserException u) {
            // LogEvent is immutable: detail() and hint() return the extended event
            LogEvent event = LogEvent.msg(u.getMessage());
            event = event.detail(u.detail().orElse(null));
            event = event.hint(u.hint().orElse(null));
            LOG.error(event);
        } else if (e instanceof StorageUnavailableException s) {
            LOG.error(LogEvent.msg("storage is unavailable: " + s.getMessage())
                    .hint("Check that the archive location exists and is reachable, then retry."));
        } else if (e instanceof IOException io) {
            LOG.error(LogEvent.msg(FailureText.describe(io)));
        } else {
            LOG.critical(LogEvent.msg("An unprocessed exception has avoided all error handling")
                    .detail(FailureText.describe(e))
                    .hint("This is a bug in wal-j; run again with WALJ_DEBUG=1 for a stack trace to report."));
        }
    }
}
