package org.walj.layout;

import java.util.HexFormat;
import java.util.Objects;

/**
 * One regular file of a base backup as its manifest records it: the tar partition it is in, its member name exactly
 * as in the tar header, the number of bytes in the tar and the SHA-256 of those bytes (what backup-fetch must get
 * back, whatever happened to the file on disk while it was read).
 */
public record ManifestEntry(int partition, String name, long size, byte[] sha256) {
    public static final int SHA256_BYTES = 32;

    public ManifestEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sha256, "sha256");
        if (partition < 0) {
            throw new IllegalArgumentException("negative partition " + partition);
        }
        if (size < 0) {
            throw new IllegalArgumentException("negative size " + size);
        }
        if (name.isEmpty() || name.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("not a member name: \"" + name + "\"");
        }
        if (sha256.length != SHA256_BYTES) {
            throw new IllegalArgumentException("a SHA-256 has 32 bytes, not " + sha256.length);
        }
        sha256 = sha256.clone();
    }

    /** A fresh digest of the manifest's algorithm. */
    public static java.security.MessageDigest newDigest() {
        try {
            return java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    @Override
    public byte[] sha256() {
        return sha256.clone();
    }

    public String sha256Hex() {
        return HexFormat.of().formatHex(sha256);
    }

    public boolean matches(long otherSize, byte[] otherSha256) {
        return size == otherSize && java.security.MessageDigest.isEqual(sha256, otherSha256);
    }

    /** One line of the manifest, without the newline. */
    public String toJsonLine() {
        return "{\"partition\": " + partition + ", \"name\": " + PythonJson.string(name) + ", \"size\": " + size
                + ", \"sha256\": \"" + sha256Hex() + "\"}";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ManifestEntry e && e.partition == partition && e.name.equals(name) && e.size == size
                && java.util.Arrays.equals(e.sha256, sha256);
    }

    @Override
    public int hashCode() {
        return Objects.hash(partition, name, size, java.util.Arrays.hashCode(sha256));
    }

    @Override
    public String toString() {
        return toJsonLine();
    }
}
