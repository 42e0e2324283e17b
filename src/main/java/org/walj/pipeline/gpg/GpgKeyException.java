package org.walj.pipeline.gpg;

import java.io.IOException;

/**
 * A configured key cannot be used: not found, no secret part, wrong or missing passphrase. The message is one
 * line naming the cause and where we looked; it never holds key material or a passphrase.
 */
public class GpgKeyException extends IOException {
    public GpgKeyException(String message) {
        super(message);
    }

    public GpgKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
