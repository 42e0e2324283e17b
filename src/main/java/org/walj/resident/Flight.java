package org.walj.resident;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One upload of one file by the daemon, by a request or in the background, and where it stands. The state moves only
 * along these arrows; any other move is a bug in {@link PushAhead} and throws:
 *
 * <pre>
 *   QUEUED ──start──▶ UPLOADING ──join──▶ JOINED ◀─┐ join (one more request waits)
 *     │  │                │                  │ ───┘
 *     │  └take──▶ TAKEN   │                  │
 *     │             │     │                  │
 *     └─────────────┴─────┴──────land────────┴──▶ LANDED
 * </pre>
 *
 * A background upload starts {@code QUEUED}; a request's own push starts {@code UPLOADING}. Not thread-safe:
 * {@link PushAhead} moves it under its own lock; only {@link #stored} is read by threads waiting for the upload.
 */
final class Flight {

    enum State {
        /** Background, waiting for a worker; a request for the file takes it over rather than wait. */
        QUEUED,
        /** Was queued; a request pushes the file itself, the worker drops it without uploading. */
        TAKEN,
        /** Being stored, by a worker or by a request. */
        UPLOADING,
        /** Being stored while a request for the same file waits for it: PostgreSQL renames the .ready after that. */
        JOINED,
        /** Over: stored or not (see {@link #stored}); no longer the file's flight. */
        LANDED
    }

    /** Why the daemon uploads the file: decides whether it may rename the file's {@code .ready}. */
    enum Origin {
        /** A client's wal-push of the file. */
        REQUEST,
        /** The scan after a served wal-push picked it. */
        SCAN,
        /** PostgreSQL marked it ready a moment ago with nothing else waiting: its request is on its way. */
        ANTICIPATED
    }

    private static final Map<State, Set<State>> LEGAL = Map.of(
            State.QUEUED, EnumSet.of(State.UPLOADING, State.TAKEN, State.LANDED),
            State.TAKEN, EnumSet.of(State.LANDED),
            State.UPLOADING, EnumSet.of(State.JOINED, State.LANDED),
            State.JOINED, EnumSet.of(State.JOINED, State.LANDED),
            State.LANDED, EnumSet.noneOf(State.class));

    private final Origin origin;
    private State state;
    /** Completed on landing: true when the file was stored. */
    final CompletableFuture<Boolean> stored = new CompletableFuture<>();

    private Flight(Origin origin, State state) {
        this.origin = origin;
        this.state = state;
    }

    static Flight request() {
        return new Flight(Origin.REQUEST, State.UPLOADING);
    }

    static Flight background(Origin origin) {
        if (origin == Origin.REQUEST) {
            throw new IllegalArgumentException("a request's push is not queued for the background");
        }
        return new Flight(origin, State.QUEUED);
    }

    Origin origin() {
        return origin;
    }

    State state() {
        return state;
    }

    /** A request takes over a queued upload and pushes the file itself. */
    void take() {
        move(State.TAKEN);
    }

    /** A worker begins the upload. */
    void start() {
        move(State.UPLOADING);
    }

    /** A request for the same file waits for this upload. */
    void join() {
        move(State.JOINED);
    }

    void land() {
        move(State.LANDED);
    }

    /**
     * Whether a finished background upload renames the file's {@code .ready} to {@code .done}: only one the scan
     * picked and no request waits for (PostgreSQL renames it when that request answers, or when the one anticipated
     * here arrives).
     */
    boolean marksDone() {
        return origin == Origin.SCAN && state == State.UPLOADING;
    }

    /** The {@code state=} of the record of a stored background upload. */
    String outcome() {
        if (marksDone()) {
            return "done";
        }
        return origin == Origin.ANTICIPATED && state == State.UPLOADING ? "anticipated" : "joined";
    }

    private void move(State next) {
        if (!LEGAL.get(state).contains(next)) {
            throw new IllegalStateException("a flight cannot go from " + state + " to " + next);
        }
        state = next;
    }
}
