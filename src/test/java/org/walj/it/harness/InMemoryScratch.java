package org.walj.it.harness;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a test class with {@link ScratchExtension}: its {@link Scratch} trees are made on the machine's tmpfs
 * ({@code /dev/shm}) when it is one with room, else under {@code /tmp} as usual ({@link Scratch#create(String,
 * boolean)}).
 *
 * <p>For a test that restores many small files over and over and whose subject is not durability: backup-fetch
 * fsyncs every file it restores (as WAL-E does), and on a virtual disk shared with other jobs each fsync of a small
 * file costs a millisecond or more (2,000 took 2.9 s at load 12, 0.01 s on tmpfs), so a restore of 13,000 files
 * waited seconds for the disk alone. On tmpfs the same calls are made and succeed; only the waiting goes.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface InMemoryScratch {
}
