package org.walj;

import java.io.IOException;
import java.util.concurrent.ExecutionException;

/** Turns the failure of a task run on an executor back into the exception the task itself threw. */
public final class TaskFailure {
    private TaskFailure() {
    }

    /** The task's IOException to throw; its unchecked exceptions and errors are rethrown as they are. */
    public static IOException cause(ExecutionException e) {
        Throwable c = e.getCause();
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
