package org.walj.pipeline;

import java.io.InterruptedIOException;

/**
 * One block's work for {@link ParallelBlockWriter} and {@link ParallelBlockReader}: queued on an executor, and run by
 * whichever comes first, a pool thread or the stream's own thread while it waits for it ({@link #await}). The states
 * of all the blocks of one stream are guarded by that stream's one lock; a task touches nothing but its own block.
 */
abstract class BlockTask implements Runnable {
    private enum State { IDLE, QUEUED, RUNNING, DONE }

    private final Object lock;
    private State state = State.IDLE; // guarded by lock
    private Throwable failure; // guarded by lock

    BlockTask(Object lock) {
        this.lock = lock;
    }

    /** The block's work (encode, decode); on any thread, once per {@link #queue}. */
    abstract void work() throws Exception;

    @Override
    public final void run() {
        synchronized (lock) {
            if (state != State.QUEUED) {
                return; // abandoned, or the stream's thread took it while it waited
            }
            state = State.RUNNING;
        }
        runClaimed();
    }

    /** Runs the work of a task this thread moved to RUNNING, then publishes the outcome. */
    private void runClaimed() {
        Throwable t = null;
        try {
            work();
        } catch (Throwable e) {
            t = e;
        }
        synchronized (lock) {
            failure = t;
            state = State.DONE;
            lock.notifyAll();
        }
    }

    /** Before handing it to the executor: to be run once more. */
    final void queue() {
        synchronized (lock) {
            state = State.QUEUED;
            failure = null;
        }
    }

    /** After its outcome was taken: the block may be refilled. */
    final void reset() {
        synchronized (lock) {
            state = State.IDLE;
        }
    }

    final boolean isDone() {
        synchronized (lock) {
            return state == State.DONE;
        }
    }

    /**
     * Waits until {@code task} is done and returns its failure (null if none). Meanwhile the calling thread runs
     * queued tasks of {@code pending} itself, oldest first: on a busy machine the executor's threads may not get a
     * core soon, and the stream would otherwise sit idle.
     */
    static Throwable await(BlockTask task, Iterable<? extends BlockTask> pending, String waitingFor)
            throws InterruptedIOException {
        while (true) {
            BlockTask help = null;
            synchronized (task.lock) {
                if (task.state == State.DONE) {
                    return task.failure;
                }
                for (BlockTask q : pending) {
                    if (q.state == State.QUEUED) {
                        q.state = State.RUNNING;
                        help = q;
                        break;
                    }
                }
                if (help == null) {
                    try {
                        task.lock.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("interrupted while waiting for " + waitingFor);
                    }
                }
            }
            if (help != null) {
                help.runClaimed();
            }
        }
    }

    /** Queued tasks of {@code pending} are never run, running ones are waited for (they take milliseconds). */
    static void abandon(Object lock, Iterable<? extends BlockTask> pending) {
        boolean interrupted = false;
        synchronized (lock) {
            for (BlockTask s : pending) {
                if (s.state == State.QUEUED) {
                    s.state = State.DONE;
                }
            }
            for (BlockTask s : pending) {
                while (s.state == State.RUNNING) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
