package org.walj.backup;

import java.io.IOException;

/** A tar member that would write outside the restore target or a declared tablespace directory, or cannot be restored. */
public final class UnsafeMemberException extends IOException {
    private final String why;

    public UnsafeMemberException(String member, String why) {
        super("refusing tar member \"" + member + "\": " + why);
        this.why = why;
    }

    /** The same refusal, naming the partition it came from. */
    UnsafeMemberException(UnsafeMemberException e, String partition) {
        super("partition " + partition + ": " + e.getMessage(), e);
        this.why = e.why;
    }

    /** Why the member is refused, without its name. */
    String why() {
        return why;
    }
}
