package org.walj.archive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.walj.UserException;
import org.walj.layout.ArchiveLayout;
import org.walj.layout.BackupLayout;
import org.walj.layout.BackupName;
import org.walj.layout.BackupSentinel;
import org.walj.storage.ObjectInfo;
import org.walj.storage.Storage;

/**
 * The complete base backups in an archive: one per {@code basebackups_005/base_<24hex>_<8>_backup_stop_sentinel.json}
 * directly inside {@code basebackups_005/} (WAL-E's {@code _BackupList}). A backup whose push died has no sentinel
 * and is invisible; WAL-G's sentinels ({@code base_<24hex>_backup_stop_sentinel.json}, no offset) do not match,
 * as in WAL-E.
 */
public final class BackupCatalog {
    private final Storage storage;

    public BackupCatalog(Storage storage) {
        this.storage = storage;
    }

    /** One complete backup: its name and its sentinel object (whose last-modified time is the backup's). */
    public record Entry(BackupName name, ObjectInfo sentinel) {
    }

    /** Every complete backup, in storage listing order (by key). */
    public List<Entry> all() throws IOException {
        List<Entry> out = new ArrayList<>();
        String dir = ArchiveLayout.BASEBACKUP_DIRECTORY;
        for (ObjectInfo o : storage.list(dir)) {
            String rest = o.key().substring(dir.length());
            if (rest.contains("/") || !rest.endsWith(BackupLayout.SENTINEL_SUFFIX)) {
                continue;
            }
            BackupName.parse(rest.substring(0, rest.length() - BackupLayout.SENTINEL_SUFFIX.length()))
                    .ifPresent(name -> out.add(new Entry(name, o)));
        }
        return out;
    }

    /**
     * The backups {@code query} selects, as WAL-E's backup-list does: none given = all; {@code LATEST} = the one with
     * the greatest sentinel last-modified time (the first of equals in listing order), or none; a backup name = that
     * backup, or none. Anything else is {@code invalid backup query submitted}.
     */
    public List<Entry> select(Optional<String> query) throws IOException {
        if (query.isEmpty()) {
            return all();
        }
        String q = query.get();
        if (q.equals("LATEST")) {
            // Stream.max keeps the first of equal elements (BinaryOperator.maxBy), like Python's max()
            return all().stream().max(Comparator.comparing((Entry e) -> e.sentinel().lastModified()))
                    .map(List::of).orElse(List.of());
        }
        Optional<BackupName> name = BackupName.parse(q);
        if (name.isEmpty()) {
            throw new UserException("invalid backup query submitted", "The query was \"" + q + "\".",
                    "Give a backup name as backup-list shows it (base_<24 hex digits>_<8 digits>) or LATEST.");
        }
        return all().stream().filter(e -> e.name().equals(name.get())).toList();
    }

    /** The single backup backup-fetch restores: {@code LATEST} or an exact name. */
    public Entry resolve(String query) throws IOException {
        List<Entry> found = select(Optional.of(query));
        if (found.isEmpty()) {
            throw new UserException("no backups found for fetching",
                    query.equals("LATEST") ? "There is no complete backup in the archive."
                            : "There is no complete backup named " + query + ".",
                    "Run backup-list to see the backups this prefix holds.");
        }
        return found.get(0);
    }

    /** Reads and parses a backup's sentinel. */
    public BackupSentinel sentinel(Entry entry) throws IOException {
        String key = entry.sentinel().key();
        byte[] bytes;
        try (InputStream in = storage.get(key)) {
            bytes = SmallObjects.readAll(in, storage.url(key), "backup sentinel");
        }
        try {
            return BackupSentinel.parse(new String(bytes, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IOException(storage.url(key) + ": " + e.getMessage(), e);
        }
    }
}
