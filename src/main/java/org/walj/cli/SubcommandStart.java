package org.walj.cli;

import org.walj.logging.LogEvent;
import org.walj.logging.LoggerNames;
import org.walj.logging.WalELog;

/** WAL-E's start-up record for backup-push, backup-fetch, backup-list and delete (not for the WAL commands). */
final class SubcommandStart {
    private static final WalELog LOG = WalELog.get(LoggerNames.MAIN);

    private SubcommandStart() {
    }

    static void log(String subcommand) {
        LOG.info(LogEvent.msg("starting WAL-E").detail("The subcommand is \"" + subcommand + "\"."));
    }
}
