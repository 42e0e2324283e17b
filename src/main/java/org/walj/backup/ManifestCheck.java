package org.walj.backup;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.walj.layout.BackupManifest;
import org.walj.layout.ManifestEntry;

/**
 * Compares the regular files read from a backup's partitions with its manifest, from several partition threads at
 * once: each file must be in the manifest, in the recorded partition, with the recorded size and SHA-256, and be
 * seen once; {@link #unseen} lists what no partition contained.
 */
final class ManifestCheck {
    private final BackupManifest manifest;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    ManifestCheck(BackupManifest manifest) {
        this.manifest = manifest;
    }

    /** Empty when the file matches; else one line naming the file and what differs. */
    Optional<String> file(int partition, String name, long size, byte[] sha256) {
        ManifestEntry recorded = manifest.entries().get(name);
        String quoted = "\"" + name + "\"";
        if (recorded == null) {
            return Optional.of(quoted + " is not in the backup manifest");
        }
        if (!seen.add(name)) {
            return Optional.of(quoted + " is in the backup more than once");
        }
        if (recorded.partition() != partition) {
            return Optional.of(quoted + " is in partition " + partition + ", the backup manifest records partition "
                    + recorded.partition());
        }
        if (recorded.size() != size) {
            return Optional.of(quoted + " has " + size + " bytes, the backup manifest records " + recorded.size());
        }
        if (!recorded.matches(size, sha256)) {
            return Optional.of(quoted + " does not match the backup manifest: its SHA-256 is "
                    + HexFormat.of().formatHex(sha256) + ", the manifest records " + recorded.sha256Hex());
        }
        return Optional.empty();
    }

    /** The manifest's files no partition contained, by partition then name. Call after every partition was read. */
    List<ManifestEntry> unseen() {
        List<ManifestEntry> out = new ArrayList<>();
        for (ManifestEntry e : manifest.entries().values()) {
            if (!seen.contains(e.name())) {
                out.add(e);
            }
        }
        out.sort(Comparator.comparingInt(ManifestEntry::partition).thenComparing(ManifestEntry::name));
        return out;
    }

    int files() {
        return manifest.entries().size();
    }
}
