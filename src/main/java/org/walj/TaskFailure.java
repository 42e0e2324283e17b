package org.walj;

import java.io.IOException;
import java.util.concurrent.ExecutionException;

/** Turns the failure of a task run on an executor back into the exception the task itself threw. */
public final class TaskFailure {
    private TaskFailure() {
    }

    /** The task's IOException to throw; its unchecked exceptions and errors are rethrown as they are. */
    public static IOException cause(ExecutionException e) {
        return of(e.getCause());
    }

    /** As {@link #cause}, for a failure a task recorded itself. */
    public static IOException of(Throwable c) {
        if (c instanceof IOException io) {
            return io;
        }
        if (c instanceof RuntimeException re) {
            throw re;
        }
        if (c instanceof Error err) {
            throw err;
        }
        return new IOException(c);
    }
}
