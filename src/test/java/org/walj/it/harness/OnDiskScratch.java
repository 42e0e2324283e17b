package org.walj.it.harness;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a test class with {@link ScratchExtension}: its {@link Scratch} trees stay under {@code /tmp}, on the disk,
 * where every other integration test's tree is on the machine's tmpfs ({@code /dev/shm}) when it has room
 * ({@link Scratch#create(String, boolean)}).
 *
 * <p>Why tmpfs by default: wal-push, backup-fetch and PostgreSQL fsync what they write, and on a virtual disk
 * shared with other jobs each fsync of a small file costs a millisecond or more (2,000 took 2.9 s at load 12,
 * 0.01 s on tmpfs), so the suite spent most of its time waiting for the disk. On tmpfs the same calls are made and
 * succeed; only the waiting goes. No test here can observe a power loss, on either filesystem. A class whose kills
 * land at a time rather than at an event (DeltaRestoreIT) says {@code @OnDiskScratch}, so that the speed of the
 * disk keeps the kill inside the work it targets; {@code -Dwalj.it.scratch=disk} puts every class on the disk.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface OnDiskScratch {
}
