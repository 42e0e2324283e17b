package org.walj.backup;

import java.io.IOException;

/** A tar member that would write outside the restore target or a declared tablespace directory, or cannot be restored. */
public final class UnsafeMemberException extends IOException {
    public UnsafeMemberException(String member, String why) {
        super("refusing tar member \"" + member + "\": " + why);
    }

    /** The same refusal, naming the partition it came from. */
    UnsafeMemberException(UnsafeMemberException e, String partition) {
        super("partition " + partition + ": " + e.getMessage(), e);
    }
}
