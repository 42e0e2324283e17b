package org.walj.backup;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Every path one fetch restores is restored once, across all partitions: two members can then never meet at one path,
 * whatever the order or timing of partitions (a symlink cannot replace a file another partition is still writing, a
 * file cannot land where a directory was made, a duplicate cannot overwrite what was checked). Directories alone may
 * repeat (archives list a directory in several partitions, and a directory is made on the way to the files in it).
 *
 * <p>Directories, symbolic links and hard links are few and are claimed here by name. Regular files, which can be
 * millions, are claimed by the file system itself: the extractor creates them with {@code O_EXCL}, so a second member
 * at a file's path fails there, and a file checks here that no directory or link claimed its path. Files written
 * completely are remembered by {@link ExtractedFiles} (a bit each when the manifest lists them), which is all a
 * hard link needs to know ("a regular file this fetch extracted"), together with an lstat of the target.
 */
final class PathClaims {
    enum Kind {
        DIRECTORY("a directory"), SYMLINK("a symbolic link"), HARD_LINK("a hard link");

        private final String text;

        Kind(String text) {
            this.text = text;
        }
    }

    /** Who claimed a path: the member, and whether it is that member's own path or a directory on its way. */
    record Claim(Kind kind, String member, boolean onTheWay) {
        String describe() {
            return onTheWay ? "a directory on the way to the member \"" + member + "\""
                    : "the member \"" + member + "\" (" + kind.text + ")";
        }
    }

    private final ConcurrentHashMap<String, Claim> claims = new ConcurrentHashMap<>();
    private final ExtractedFiles extracted;

    /** {@code manifest}: the backup's, or null (a backup made by WAL-E): what {@link ExtractedFiles} keys files by. */
    PathClaims(org.walj.layout.BackupManifest manifest) {
        this.extracted = new ExtractedFiles(manifest);
    }

    /**
     * Claims {@code path} (a member's name relative to the data directory, e.g. {@code pg_tblspc/16385/PG_15/1}) for
     * {@code member}'s own directory or link; fails naming the member if it was claimed before (directories may
     * repeat).
     */
    void claim(String path, Kind kind, String member) throws UnsafeMemberException {
        Claim earlier = claims.putIfAbsent(path, new Claim(kind, member, false));
        if (earlier != null && !(kind == Kind.DIRECTORY && earlier.kind() == Kind.DIRECTORY)) {
            throw clash(member, earlier);
        }
    }

    /** Claims {@code dir} as a directory on the way to {@code member}; fails if a link claimed it. */
    void claimOnTheWay(String dir, String member) throws UnsafeMemberException {
        Claim earlier = claims.putIfAbsent(dir, new Claim(Kind.DIRECTORY, member, true));
        if (earlier == null || earlier.kind() == Kind.DIRECTORY) {
            return;
        }
        if (earlier.kind() == Kind.SYMLINK) {
            throw new UnsafeMemberException(member, "it would be written through the symbolic link member \""
                    + earlier.member() + "\"");
        }
        throw new UnsafeMemberException(member, "a directory on its way is restored as " + earlier.describe());
    }

    /** Before a regular file is created (with O_EXCL, which catches two files): no directory or link claimed it. */
    void requireFree(String path, String member) throws UnsafeMemberException {
        Claim earlier = claims.get(path);
        if (earlier != null) {
            throw clash(member, earlier);
        }
    }

    static UnsafeMemberException clash(String member, Claim earlier) {
        return new UnsafeMemberException(member, "its path is already restored by " + earlier.describe()
                + "; each path is restored once");
    }

    static UnsafeMemberException clashWithAFile(String member) {
        return new UnsafeMemberException(member, "its path is already restored by another member; each path is "
                + "restored once");
    }

    /**
     * A regular file this fetch wrote completely (the only thing a hard link may point to): {@code member} as named in
     * its tar header, at {@code path}.
     */
    void extracted(String member, String path) {
        extracted.add(member, path);
    }

    boolean wasExtracted(String path) {
        return extracted.contains(path);
    }
}
