package org.walj.backup;

import java.util.ArrayList;
import java.util.List;
import org.walj.logging.LogEvent;
import org.walj.logging.LoggerNames;
import org.walj.logging.WalELog;

/** What backup-verify found wrong so far, from any partition thread; each logged as a WARNING when found. */
final class VerificationProblems {
    private static final WalELog LOG = WalELog.get(LoggerNames.WORKER_BASE);
    /** Problems beyond this many are counted, not logged one by one. */
    private static final int MAX_LOGGED = 50;

    private final List<String> list = new ArrayList<>();

    void add(String problem) {
        int n;
        synchronized (list) {
            list.add(problem);
            n = list.size();
        }
        if (n <= MAX_LOGGED) {
            LOG.warning(LogEvent.msg(problem));
        } else if (n == MAX_LOGGED + 1) {
            LOG.warning(LogEvent.msg("more problems found; only the first " + MAX_LOGGED + " are logged"));
        }
    }

    boolean isEmpty() {
        synchronized (list) {
            return list.isEmpty();
        }
    }

    List<String> all() {
        synchronized (list) {
            return List.copyOf(list);
        }
    }
}
