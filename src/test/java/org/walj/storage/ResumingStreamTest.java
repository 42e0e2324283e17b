package org.walj.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The one resume loop: where it continues, what it refuses to stitch together, and when it gives up. */
class ResumingStreamTest {
    private static final RetryPolicy QUICK = new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(2),
            Duration.ofSeconds(30));
    private static final byte[] CONTENT = new byte[100_000];

    static {
        for (int i = 0; i < CONTENT.length; i++) {
            CONTENT[i] = (byte) (i * 31 + i / 251);
        }
    }

    /** Serves the object from an offset under a version; each of {@code cuts} breaks one answer after N bytes. */
    private static class Server implements ResumingStream.Opener {
        final List<Long> offsets = new ArrayList<>();
        final List<Integer> cuts;
        String version = "v1";
        byte[] content = CONTENT;

        Server(Integer... cuts) {
            this.cuts = new ArrayList<>(List.of(cuts));
        }

        @Override
        public ResumingStream.Body open(long offset, Optional<String> expected) throws IOException {
            offsets.add(offset);
            if (expected.isPresent() && !expected.get().equals(version)) {
                throw new StorageUnavailableException("412 (test)");
            }
            byte[] rest = Arrays.copyOfRange(content, (int) offset, content.length);
            int cut = cuts.isEmpty() ? Integer.MAX_VALUE : cuts.remove(0);
            InputStream in = new ByteArrayInputStream(rest) {
                private int given;

                @Override
                public synchronized int read(byte[] b, int off, int len) {
                    if (given >= cut) {
                        throw new java.io.UncheckedIOException(new IOException("connection reset (test)"));
                    }
                    int n = super.read(b, off, Math.min(len, cut - given));
                    given += Math.max(n, 0);
                    return n;
                }
            };
            return ResumingStream.Body.of(unwrapping(in), rest.length, Optional.of(version));
        }
    }

    /** ByteArrayInputStream cannot throw a checked exception: an UncheckedIOException stands in. */
    private static InputStream unwrapping(InputStream in) {
        return new java.io.FilterInputStream(in) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                try {
                    return in.read(b, off, len);
                } catch (java.io.UncheckedIOException e) {
                    throw e.getCause();
                }
            }
        };
    }

    @Test
    void aBrokenReadContinuesFromTheByteReached() throws IOException {
        Server server = new Server(30_000, 45_000);
        try (ResumingStream in = ResumingStream.open("test://o", server, QUICK)) {
            assertArrayEquals(CONTENT, in.readAllBytes());
            assertEquals(2, in.resumes());
            assertEquals(CONTENT.length, in.bytesMoved(), "no byte read twice");
        }
        assertEquals(List.of(0L, 30_000L, 75_000L), server.offsets);
    }

    @Test
    void anotherVersionIsNeverStitchedOn() throws IOException {
        Server server = new Server(30_000);
        try (ResumingStream in = ResumingStream.open("test://o", server, QUICK)) {
            in.readNBytes(10_000);
            server.version = "v2";
            IOException e = assertThrows(IOException.class, in::readAllBytes);
            assertTrue(e.getMessage().contains("412 (test)"), e.getMessage());
        }
        assertEquals(2, server.offsets.size(), "a refused version is not asked for again");
    }

    @Test
    void anAnswerOfAnotherVersionOrLengthFailsAsChanged() throws IOException {
        Server server = new Server(30_000) {
            @Override
            public ResumingStream.Body open(long offset, Optional<String> expected) throws IOException {
                ResumingStream.Body b = super.open(offset, Optional.empty()); // a backend that ignores If-Match
                return ResumingStream.Body.of(b.in(), b.remaining(), Optional.of(offsets.size() == 1 ? "v1" : "v2"));
            }
        };
        try (ResumingStream in = ResumingStream.open("test://o", server, QUICK)) {
            assertThrows(ResumingStream.ChangedObjectException.class, in::readAllBytes);
        }
        Server shorter = new Server(30_000);
        try (ResumingStream in = ResumingStream.open("test://o", shorter, QUICK)) {
            in.readNBytes(20_000);
            shorter.content = Arrays.copyOf(CONTENT, 90_000);
            IOException e = assertThrows(ResumingStream.ChangedObjectException.class, in::readAllBytes);
            assertTrue(e.getMessage().contains("90000 bytes long where 100000"), e.getMessage());
        }
    }

    @Test
    void aBodyThatEndsEarlyIsContinued() throws IOException {
        ResumingStream.Opener early = (offset, version) -> {
            byte[] rest = Arrays.copyOfRange(CONTENT, (int) offset, CONTENT.length);
            int given = offset == 0 ? 40_000 : rest.length; // the first answer ends cleanly, but short
            return ResumingStream.Body.of(new ByteArrayInputStream(rest, 0, given), rest.length, Optional.of("v1"));
        };
        try (ResumingStream in = ResumingStream.open("test://o", early, QUICK)) {
            assertArrayEquals(CONTENT, in.readAllBytes());
            assertEquals(1, in.resumes());
        }
    }

    @Test
    void readsWithoutProgressAreBoundedByThePolicy() throws IOException {
        Server server = new Server(10_000, 0, 0, 0, 0, 0);
        try (ResumingStream in = ResumingStream.open("test://o", server, QUICK)) {
            StorageUnavailableException e = assertThrows(StorageUnavailableException.class, in::readAllBytes);
            assertTrue(e.getMessage().contains("connection reset (test)"), e.getMessage());
            assertTrue(e.getMessage().contains("failed after 10000 bytes, 3 reads in a row"), e.getMessage());
        }
        assertEquals(List.of(0L, 10_000L, 10_000L), server.offsets);
        // progress starts the count again: five drops, each after new bytes, are all survived
        Server drops = new Server(10_000, 10_000, 10_000, 10_000, 10_000);
        try (ResumingStream in = ResumingStream.open("test://o", drops, QUICK)) {
            assertArrayEquals(CONTENT, in.readAllBytes());
            assertEquals(5, in.resumes());
        }
    }

    @Test
    void aMissingObjectOrAPermanentFailureIsNotRetried() throws IOException {
        int[] opens = {0};
        ResumingStream.Opener gone = (offset, version) -> {
            if (opens[0]++ > 0) {
                throw new ObjectNotFoundException("o");
            }
            return new Server(5_000).open(offset, version);
        };
        try (ResumingStream in = ResumingStream.open("test://o", gone, QUICK)) {
            assertThrows(ObjectNotFoundException.class, in::readAllBytes);
        }
        assertEquals(2, opens[0]);
    }
}
