package org.walj.resident;

import java.nio.file.Path;
import java.util.List;

/**
 * A client's wal-push or wal-fetch, from the arguments after the subcommand. Only the forms whose meaning is certain
 * are taken: the options those commands declare, spelled {@code -p N}, {@code --pool-size N} or
 * {@code --pool-size=N} (wal-fetch: {@code --prefetch}), each at most once, a plain decimal count, and exactly the
 * positional arguments they take. Anything else (help, {@code --}, {@code @file}, another spelling, a usage error) is
 * {@link Unsupported}: the client then runs the command in-process, where picocli reads it as it always has.
 */
public sealed interface WalRequest {

    /** {@code wal-push WAL_SEGMENT [--pool-size N]}. */
    record Push(Path segment, int poolSize) implements WalRequest {
        public static final String NAME = "wal-push";
        /** WalPushCommand's default too: one number for both paths. */
        public static final int DEFAULT_POOL_SIZE = 32;

        public Push {
            if (poolSize < 1) {
                throw new IllegalArgumentException("pool size must be at least 1: " + poolSize);
            }
        }
    }

    /** {@code wal-fetch WAL_SEGMENT WAL_DESTINATION [--prefetch N]}. */
    record Fetch(String segment, Path destination, int prefetch) implements WalRequest {
        public static final String NAME = "wal-fetch";
        /** WalFetchCommand's default too. */
        public static final int DEFAULT_PREFETCH = 8;

        public Fetch {
            if (prefetch < 0) {
                throw new IllegalArgumentException("prefetch must not be negative: " + prefetch);
            }
        }
    }

    /** Arguments the daemon does not take; the reason names the forms it takes, never the values given. */
    final class Unsupported extends Exception {
        Unsupported(String reason) {
            super(reason);
        }
    }

    /** {@code args}: the subcommand's name, then its arguments. */
    static WalRequest parse(List<String> args) throws Unsupported {
        String name = args.isEmpty() ? "" : args.get(0);
        List<String> rest = args.subList(Math.min(1, args.size()), args.size());
        if (name.equals(Push.NAME)) {
            CommandForm.Parsed p = CommandForm.PUSH.parse(rest);
            return new Push(p.path(0), p.count(Push.DEFAULT_POOL_SIZE, 1));
        }
        if (name.equals(Fetch.NAME)) {
            CommandForm.Parsed p = CommandForm.FETCH.parse(rest);
            return new Fetch(p.positional().get(0), p.path(1), p.count(Fetch.DEFAULT_PREFETCH, 0));
        }
        throw new Unsupported("the daemon serves " + Push.NAME + " and " + Fetch.NAME + " only");
    }
}
