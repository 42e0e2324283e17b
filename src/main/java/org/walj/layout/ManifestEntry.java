package org.walj.layout;

import java.util.HexFormat;
import java.util.Objects;

/**
 * One member of a base backup as its manifest records it: the tar partition it is in, its member name exactly as in
 * the tar header, its type and permission bits, and
 * <ul>
 * <li>for a regular file, the number of bytes in the tar and the SHA-256 of those bytes (what backup-fetch must get
 * back, whatever happened to the file on disk while it was read);</li>
 * <li>for a symbolic link, its target exactly as in the tar header.</li>
 * </ul>
 * A version 1 manifest lists regular files only and records no mode: its entries have {@link #NO_MODE}.
 *
 * @param mode    the permission bits ({@code 07777}), or {@link #NO_MODE} in a version 1 manifest
 * @param size    a file's size; 0 otherwise
 * @param sha256  a file's SHA-256; null otherwise
 * @param target  a symbolic link's target; null otherwise
 */
public record ManifestEntry(int partition, String name, Type type, int mode, long size, byte[] sha256,
                            String target) {
    public static final int SHA256_BYTES = 32;
    /** The mode of an entry read from a version 1 manifest, which recorded none. */
    public static final int NO_MODE = -1;

    /** The member types wal-j's backup-push writes (it never writes hard links, devices or FIFOs). */
    public enum Type {
        FILE("file"), DIRECTORY("dir"), SYMLINK("symlink");

        private final String json;

        Type(String json) {
            this.json = json;
        }

        /** The manifest's word for the type. */
        public String json() {
            return json;
        }

        static Type ofJson(String word) {
            for (Type t : values()) {
                if (t.json.equals(word)) {
                    return t;
                }
            }
            return null;
        }
    }

    public ManifestEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (partition < 0) {
            throw new IllegalArgumentException("negative partition " + partition);
        }
        if (size < 0 || (type != Type.FILE && size != 0)) {
            throw new IllegalArgumentException("bad size " + size + " for a " + type);
        }
        if (name.isEmpty() || name.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("not a member name: \"" + name + "\"");
        }
        if (mode != NO_MODE && (mode & ~07777) != 0) {
            throw new IllegalArgumentException("not a permission mode: " + Integer.toOctalString(mode));
        }
        if (mode == NO_MODE && type != Type.FILE) {
            throw new IllegalArgumentException("only a version 1 file entry has no mode");
        }
        if ((type == Type.FILE) != (sha256 != null)) {
            throw new IllegalArgumentException("a file, and only a file, has a SHA-256");
        }
        if (sha256 != null && sha256.length != SHA256_BYTES) {
            throw new IllegalArgumentException("a SHA-256 has 32 bytes, not " + sha256.length);
        }
        if ((type == Type.SYMLINK) != (target != null)) {
            throw new IllegalArgumentException("a symbolic link, and only a symbolic link, has a target");
        }
        sha256 = sha256 == null ? null : sha256.clone();
    }

    /** A regular file as a version 1 manifest lists it: no mode. */
    public ManifestEntry(int partition, String name, long size, byte[] sha256) {
        this(partition, name, Type.FILE, NO_MODE, size, Objects.requireNonNull(sha256, "sha256"), null);
    }

    public static ManifestEntry file(int partition, String name, int mode, long size, byte[] sha256) {
        return new ManifestEntry(partition, name, Type.FILE, mode, size, Objects.requireNonNull(sha256, "sha256"),
                null);
    }

    public static ManifestEntry directory(int partition, String name, int mode) {
        return new ManifestEntry(partition, name, Type.DIRECTORY, mode, 0, null, null);
    }

    public static ManifestEntry symlink(int partition, String name, int mode, String target) {
        return new ManifestEntry(partition, name, Type.SYMLINK, mode, 0, null, Objects.requireNonNull(target));
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
        return sha256 == null ? null : sha256.clone();
    }

    public String sha256Hex() {
        return sha256 == null ? null : HexFormat.of().formatHex(sha256);
    }

    public boolean hasMode() {
        return mode != NO_MODE;
    }

    /** The mode as the manifest writes it: four octal digits, e.g. {@code 0600}. */
    public static String modeText(int mode) {
        String octal = Integer.toOctalString(mode);
        return "0".repeat(Math.max(0, 4 - octal.length())) + octal;
    }

    public boolean matches(long otherSize, byte[] otherSha256) {
        return type == Type.FILE && size == otherSize && java.security.MessageDigest.isEqual(sha256, otherSha256);
    }

    /**
     * One line of the manifest, without the newline: the version 2 form, or the version 1 form for an entry read
     * from a version 1 manifest (no mode).
     */
    public String toJsonLine() {
        String head = "{\"partition\": " + partition + ", \"name\": " + PythonJson.string(name);
        if (!hasMode()) {
            return head + ", \"size\": " + size + ", \"sha256\": \"" + sha256Hex() + "\"}";
        }
        head += ", \"type\": \"" + type.json() + "\", \"mode\": \"" + modeText(mode) + "\"";
        return switch (type) {
            case FILE -> head + ", \"size\": " + size + ", \"sha256\": \"" + sha256Hex() + "\"}";
            case DIRECTORY -> head + "}";
            case SYMLINK -> head + ", \"target\": " + PythonJson.string(target) + "}";
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ManifestEntry e && e.partition == partition && e.name.equals(name) && e.type == type
                && e.mode == mode && e.size == size && java.util.Arrays.equals(e.sha256, sha256)
                && Objects.equals(e.target, target);
    }

    @Override
    public int hashCode() {
        return Objects.hash(partition, name, type, mode, size, java.util.Arrays.hashCode(sha256), target);
    }

    @Override
    public String toString() {
        return toJsonLine();
    }
}
