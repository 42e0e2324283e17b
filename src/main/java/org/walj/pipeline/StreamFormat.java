package org.walj.pipeline;

import java.io.IOException;
import java.io.PushbackInputStream;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Recognises what an object holds from its first bytes, so that a wrong-format object fails with a message that
 * says what it is instead of a bare "bad magic". Detection is conservative: a format is reported only when its
 * magic (or, for OpenPGP, a plausible first packet) is there; anything else is {@link #UNKNOWN}.
 */
public enum StreamFormat {
    LZOP("an lzop stream"),
    LZ4_FRAME("an LZ4 frame"),
    /** An OpenPGP message: starts with a public-key or symmetric-key encrypted session key, compressed or literal packet. */
    OPENPGP("an OpenPGP message"),
    GZIP("gzip data"),
    ZSTD("a zstd frame"),
    EMPTY("an empty object"),
    UNKNOWN("unrecognised data");

    /** How many leading bytes {@link #detect} looks at; enough for every format above. */
    public static final int PROBE_LENGTH = 16;

    private static final byte[] LZOP_MAGIC = {(byte) 0x89, 'L', 'Z', 'O', 0x00, '\r', '\n', 0x1A, '\n'};
    private static final byte[] LZ4_MAGIC = {0x04, 0x22, 0x4D, 0x18}; // 0x184D2204 little-endian
    private static final byte[] GZIP_MAGIC = {0x1F, (byte) 0x8B, 0x08};
    private static final byte[] ZSTD_MAGIC = {0x28, (byte) 0xB5, 0x2F, (byte) 0xFD}; // 0xFD2FB528 little-endian

    private final String description;

    StreamFormat(String description) {
        this.description = description;
    }

    /** The nine bytes every lzop stream starts with. */
    public static byte[] lzopMagic() {
        return LZOP_MAGIC.clone();
    }

    /** E.g. "an LZ4 frame". */
    public String description() {
        return description;
    }

    /** Identifies the format from the first {@code length} bytes of an object (fewer than the probe means EOF). */
    public static StreamFormat detect(byte[] head, int length) {
        if (length <= 0) {
            return EMPTY;
        }
        // a short object that is a prefix of the lzop magic is a truncated lzop stream, reported as such by the decoder
        if (startsWith(head, length, LZOP_MAGIC, true)) {
            return LZOP;
        }
        if (startsWith(head, length, LZ4_MAGIC, false)) {
            return LZ4_FRAME;
        }
        if (startsWith(head, length, ZSTD_MAGIC, false)) {
            return ZSTD;
        }
        if (startsWith(head, length, GZIP_MAGIC, false)) {
            return GZIP;
        }
        if (isOpenPgp(head, length)) {
            return OPENPGP;
        }
        return UNKNOWN;
    }

    /** Reads up to {@link #PROBE_LENGTH} bytes and pushes them back; the stream needs that much pushback room. */
    public static byte[] peek(PushbackInputStream in) throws IOException {
        byte[] head = new byte[PROBE_LENGTH];
        int n = 0;
        while (n < head.length) {
            int r = in.read(head, n, head.length - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        in.unread(head, 0, n);
        return n == head.length ? head : Arrays.copyOf(head, n);
    }

    /** The one-line error for an object in format {@code actual} where {@code expected} was required. */
    public static CorruptObjectException mismatch(StreamFormat expected, StreamFormat actual, byte[] head, int length) {
        if (actual == OPENPGP) {
            return new CorruptObjectException(
                    "object is PGP-encrypted but no GPG key is configured (set WALE_GPG_KEY_ID)");
        }
        String what = switch (actual) {
            case EMPTY -> "empty object";
            case UNKNOWN -> "unrecognised leading bytes " + hex(head, length);
            default -> "it looks like " + actual.description;
        };
        return new CorruptObjectException("not " + expected.description + " (" + what + ")");
    }

    private static String hex(byte[] head, int length) {
        int n = Math.min(length, 8);
        HexFormat hex = HexFormat.ofDelimiter(" ");
        return hex.formatHex(head, 0, n) + (length > n ? " ..." : "");
    }

    private static boolean startsWith(byte[] head, int length, byte[] magic, boolean prefixOfMagicCounts) {
        if (length < magic.length && !prefixOfMagicCounts) {
            return false;
        }
        int n = Math.min(length, magic.length);
        for (int i = 0; i < n; i++) {
            if (head[i] != magic[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * A message as gpg writes it starts with a PKESK (tag 1, {@code gpg -e}) or SKESK (tag 3, {@code gpg -c})
     * packet, or for unencrypted messages a compressed (8) or literal (11) packet. We accept only those tags, in
     * old or new packet format, with a valid length encoding and a valid first body byte (the packet version,
     * compression algorithm or literal data format).
     */
    private static boolean isOpenPgp(byte[] h, int length) {
        int b0 = h[0] & 0xFF;
        if ((b0 & 0x80) == 0) {
            return false;
        }
        int tag;
        int bodyStart;
        long bodyLength; // -1: indeterminate or partial
        if ((b0 & 0x40) == 0) { // old format: 10TTTTLL
            tag = (b0 >>> 2) & 0x0F;
            int lengthType = b0 & 0x03;
            if (lengthType == 3) {
                bodyStart = 1;
                bodyLength = -1;
            } else {
                int octets = 1 << lengthType; // 1, 2 or 4
                if (length < 1 + octets) {
                    return false;
                }
                bodyLength = 0;
                for (int i = 1; i <= octets; i++) {
                    bodyLength = bodyLength << 8 | (h[i] & 0xFF);
                }
                bodyStart = 1 + octets;
            }
        } else { // new format: 11TTTTTT, then a 1, 2 or 5 octet length or a partial length
            tag = b0 & 0x3F;
            if (length < 2) {
                return false;
            }
            int l1 = h[1] & 0xFF;
            if (l1 < 192) {
                bodyLength = l1;
                bodyStart = 2;
            } else if (l1 < 224) {
                if (length < 3) {
                    return false;
                }
                bodyLength = ((l1 - 192) << 8) + (h[2] & 0xFF) + 192;
                bodyStart = 3;
            } else if (l1 == 255) {
                if (length < 6) {
                    return false;
                }
                bodyLength = (h[2] & 0xFFL) << 24 | (h[3] & 0xFF) << 16 | (h[4] & 0xFF) << 8 | (h[5] & 0xFF);
                bodyStart = 6;
            } else {
                bodyLength = -1; // partial body length: allowed for data packets only
                bodyStart = 2;
            }
        }
        if (length <= bodyStart) {
            return false;
        }
        int first = h[bodyStart] & 0xFF;
        return switch (tag) {
            // PKESK: version 3 (RFC 4880) or 6 (RFC 9580); version, key id/fingerprint, algorithm, key material
            case 1 -> bodyLength >= 10 && (first == 3 || first == 6);
            // SKESK: version 4 (RFC 4880), 5 (draft AEAD, gpg 2.3+) or 6 (RFC 9580)
            case 3 -> bodyLength >= 4 && (first == 4 || first == 5 || first == 6);
            // compressed data: algorithm 0 (none), 1 (ZIP), 2 (ZLIB), 3 (BZip2)
            case 8 -> bodyLength != 0 && first <= 3;
            // literal data: format 'b', 't', 'u', 'l', '1', 'm'
            case 11 -> bodyLength != 0 && "btul1m".indexOf(first) >= 0;
            default -> false;
        };
    }
}
