package org.walj.backup;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A set of a manifest's entries by entry number ({@code BackupManifest#indexOf}): one bit each, safe from several
 * threads. What the fetch saw ({@link ManifestCheck}) and what a delta restore found in place ({@link DeltaScan})
 * cost 1 bit a member, not a set of names that grows with the cluster's file count.
 */
final class EntryBits {
    private final AtomicLongArray words;

    EntryBits(int entries) {
        this.words = new AtomicLongArray((entries + 63) >>> 6);
    }

    /** Sets entry {@code i}'s bit; false when it was set already. */
    boolean set(int i) {
        long bit = 1L << i;
        int word = i >>> 6;
        while (true) {
            long old = words.get(word);
            if ((old & bit) != 0) {
                return false;
            }
            if (words.compareAndSet(word, old, old | bit)) {
                return true;
            }
        }
    }

    boolean get(int i) {
        return (words.get(i >>> 6) & 1L << i) != 0;
    }
}
