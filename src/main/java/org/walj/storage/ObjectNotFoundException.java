package org.walj.storage;

import java.io.IOException;

/** The storage answered, and the object is not there. Distinct from every failure to reach the storage. */
public final class ObjectNotFoundException extends IOException {
    private final String key;

    public ObjectNotFoundException(String key) {
        super("object not found: " + key);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
