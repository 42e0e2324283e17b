package org.walj.pipeline;

import java.io.IOException;

/**
 * The bytes of an object are not what they must be: wrong format, failed checksum, truncated, or followed by
 * garbage. The message is one line that says which, fit to be shown to the user as is. Never used for failures
 * to reach or read the storage (those stay plain {@link IOException}s).
 */
public class CorruptObjectException extends IOException {

    public CorruptObjectException(String message) {
        super(message);
    }

    public CorruptObjectException(String message, Throwable cause) {
        super(message, cause);
    }
}
