package org.walj.backup;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every path one fetch restores, claimed once across all partitions before anything is done there. Two members can
 * then never meet at one path, whatever the order or timing of partitions: a symlink cannot replace a file another
 * partition is still writing, a file cannot land where a directory was made, a duplicate cannot overwrite what was
 * checked. Directories alone may repeat (archives list a directory in several partitions, and a directory is made on
 * the way to the files inside it).
 */
final class PathClaims {
    enum Kind {
        DIRECTORY("a directory"), FILE("a regular file"), SYMLINK("a symbolic link"), HARD_LINK("a hard link");

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

    private final ConcurrentHashMap<Path, Claim> claims = new ConcurrentHashMap<>();
    private final Set<Path> extractedFiles = ConcurrentHashMap.newKeySet();

    /** Claims {@code path} for {@code member}'s own content; fails naming the member if it was claimed before. */
    void claim(Path path, Kind kind, String member) throws UnsafeMemberException {
        Claim earlier = claims.putIfAbsent(path, new Claim(kind, member, false));
        if (earlier != null && !(kind == Kind.DIRECTORY && earlier.kind() == Kind.DIRECTORY)) {
            throw new UnsafeMemberException(member, "its path is already restored by " + earlier.describe()
                    + "; each path is restored once");
        }
    }

    /** Claims {@code dir} as a directory on the way to {@code member}; fails if anything else claimed it. */
    void claimOnTheWay(Path dir, String member) throws UnsafeMemberException {
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

    Optional<Claim> of(Path path) {
        return Optional.ofNullable(claims.get(path));
    }

    /** A regular file this fetch wrote completely (the only thing a hard link may point to). */
    void extracted(Path file) {
        extractedFiles.add(file);
    }

    boolean wasExtracted(Path file) {
        return extractedFiles.contains(file);
    }
}
