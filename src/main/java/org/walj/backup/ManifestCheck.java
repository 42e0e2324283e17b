package org.walj.backup;

import java.util.AbstractList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.walj.layout.BackupManifest;
import org.walj.layout.ManifestEntry;

/**
 * Compares the members read from a backup's partitions with its manifest, from several partition threads at once.
 * With a complete (version 2) manifest every member must be listed under its exact tar name, in the recorded
 * partition, with the recorded type, mode and (symbolic link) target, files with the recorded size and SHA-256, and
 * each be seen once; so a member added to, changed in or removed from a wal-j backup after backup-push is found. With
 * a version 1 manifest only regular files are compared (size and SHA-256), as before. {@link #unseen} lists what no
 * partition contained.
 */
final class ManifestCheck {
    private final BackupManifest manifest;
    /** Set when a partition held the entry. */
    private final EntryBits seen;

    ManifestCheck(BackupManifest manifest) {
        this.manifest = manifest;
        this.seen = new EntryBits(manifest.members());
    }

    /** A directory, symbolic or hard link: empty when it matches, or a version 1 manifest does not list such. */
    Optional<String> member(int partition, TarArchiveEntry entry, MemberType type) {
        if (!manifest.complete()) {
            return Optional.empty();
        }
        return compare(partition, entry, type);
    }

    /** A regular file (the reader refuses other types): empty when it matches; else one line naming it and what differs. */
    Optional<String> file(int partition, TarArchiveEntry entry, long size, byte[] sha256) {
        Optional<String> problem = compare(partition, entry, MemberType.FILE);
        if (problem.isPresent()) {
            return problem;
        }
        ManifestEntry recorded = manifest.get(entry.getName());
        String quoted = "\"" + entry.getName() + "\"";
        if (recorded.size() != size) {
            return Optional.of(quoted + " has " + size + " bytes, the backup manifest records " + recorded.size());
        }
        if (!recorded.matches(size, sha256)) {
            return Optional.of(quoted + " does not match the backup manifest: its SHA-256 is "
                    + HexFormat.of().formatHex(sha256) + ", the manifest records " + recorded.sha256Hex());
        }
        return Optional.empty();
    }

    /** Name, once only, partition, type, mode and target: what every member has. */
    private Optional<String> compare(int partition, TarArchiveEntry entry, MemberType type) {
        String name = entry.getName();
        int index = manifest.indexOf(name);
        String quoted = "\"" + name + "\"";
        if (index < 0) {
            return Optional.of(quoted + (type == MemberType.FILE ? "" : " (" + type.words() + ")")
                    + " is not in the backup manifest");
        }
        ManifestEntry recorded = manifest.entry(index);
        if (!seen.set(index)) {
            return Optional.of(quoted + " is in the backup more than once");
        }
        if (recorded.partition() != partition) {
            return Optional.of(quoted + " is in partition " + partition + ", the backup manifest records partition "
                    + recorded.partition());
        }
        if (type.manifestType() != recorded.type()) {
            return Optional.of(quoted + " is " + type.words() + ", the backup manifest records "
                    + MemberType.words(recorded.type()));
        }
        int mode = entry.getMode() & 07777;
        if (recorded.hasMode() && recorded.mode() != mode) {
            return Optional.of(quoted + " has mode " + ManifestEntry.modeText(mode) + ", the backup manifest records "
                    + ManifestEntry.modeText(recorded.mode()));
        }
        if (recorded.type() == ManifestEntry.Type.SYMLINK && !recorded.target().equals(entry.getLinkName())) {
            return Optional.of(quoted + " links to \"" + entry.getLinkName() + "\", the backup manifest records \""
                    + recorded.target() + "\"");
        }
        return Optional.empty();
    }

    /**
     * The manifest's members no partition contained, by partition then name. Call after every partition was read.
     * Only their entry numbers are held (4 bytes each); an entry is built when the list is read.
     */
    List<ManifestEntry> unseen() {
        int[] numbers = IntStream.range(0, manifest.members())
                .filter(i -> !seen.get(i))
                .boxed()
                .sorted(Comparator.comparingInt(manifest::partition).thenComparing(manifest::name))
                .mapToInt(Integer::intValue)
                .toArray();
        return new AbstractList<>() {
            @Override
            public ManifestEntry get(int i) {
                return manifest.entry(numbers[i]);
            }

            @Override
            public int size() {
                return numbers.length;
            }
        };
    }

    /** The number of regular files the manifest lists. */
    long files() {
        return manifest.files();
    }

    /** The number of members the manifest lists (its files, for a version 1 manifest). */
    int members() {
        return manifest.members();
    }

    boolean complete() {
        return manifest.complete();
    }

    /** How the members are called in messages: every member of a complete manifest, files of an old one. */
    String what() {
        return manifest.complete() ? "member(s)" : "file(s)";
    }
}
