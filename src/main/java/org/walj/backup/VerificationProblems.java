package org.walj.backup;

import org.walj.logging.LogEvent;
import org.walj.logging.LoggerNames;
import org.walj.logging.WalELog;

/**
 * What backup-verify found wrong so far, from any partition thread; each logged as a WARNING when found (the first
 * {@link #MAX_LOGGED}). Only the count and the first problem are kept: a backup whose every member is wrong must not
 * need memory for a million messages.
 */
final class VerificationProblems {
    private static final WalELog LOG = WalELog.get(LoggerNames.WORKER_BASE);
    /** Problems beyond this many are counted, not logged one by one. */
    private static final int MAX_LOGGED = 50;

    private long count;
    private String first;

    void add(String problem) {
        long n;
        synchronized (this) {
            n = ++count;
            if (first == null) {
                first = problem;
            }
        }
        if (n <= MAX_LOGGED) {
            LOG.warning(LogEvent.msg(problem));
        } else if (n == MAX_LOGGED + 1) {
            LOG.warning(LogEvent.msg("more problems found; only the first " + MAX_LOGGED + " are logged"));
        }
    }

    synchronized boolean isEmpty() {
        return count == 0;
    }

    synchronized long count() {
        return count;
    }

    /** The first problem found; null when there is none. */
    synchronized String first() {
        return first;
    }
}
