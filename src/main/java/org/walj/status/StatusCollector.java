package org.walj.status;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.walj.archive.Archive;
import org.walj.backup.BackupList;
import org.walj.backup.BackupRow;
import org.walj.layout.ArchiveLayout;
import org.walj.layout.WalArchiveIndex;
import org.walj.layout.WalFileName;
import org.walj.logging.LogEvent;
import org.walj.logging.LoggerNames;
import org.walj.logging.WalELog;
import org.walj.postgres.ArchiverStats;
import org.walj.postgres.ConnectionSettings;
import org.walj.postgres.PgSession;
import org.walj.postgres.SegmentName;
import org.walj.storage.ObjectInfo;

/**
 * {@code wal-j status}: collects a {@link HostStatus}. Archiving comes from PostgreSQL's {@code pg_stat_archiver}
 * when the server answers (it alone knows about failures), else from the newest segment object in storage; the
 * newest backup and its WAL coverage come from {@link BackupList}, the same code as {@code backup-list --detail}.
 */
public final class StatusCollector {
    private static final WalELog LOG = WalELog.get(LoggerNames.OPERATOR_BACKUP);
    /** A monitoring call must not hang on a server that does not answer. */
    private static final int LOGIN_TIMEOUT_SECONDS = 10;
    private static final long STATEMENT_TIMEOUT_MILLIS = 10_000;

    /** Reads {@code pg_stat_archiver}; throws when PostgreSQL cannot be asked. */
    @FunctionalInterface
    public interface ArchiverSource {
        ArchiverStats read() throws IOException;
    }

    private final Archive archive;
    private final Clock clock;

    public StatusCollector(Archive archive, Clock clock) {
        this.archive = archive;
        this.clock = clock;
    }

    /** The server that libpq's variables name ({@code PGHOST}, {@code PGPORT}, ...), asked in a short session. */
    public static ArchiverSource postgres(ConnectionSettings settings) {
        return () -> {
            try (PgSession session = PgSession.connect(settings, "wal-j status", LOGIN_TIMEOUT_SECONDS,
                    STATEMENT_TIMEOUT_MILLIS)) {
                return session.archiverStats();
            }
        };
    }

    /** {@code postgres} empty: storage only; {@code dataDirectory} empty: no backlog. */
    public HostStatus collect(Optional<ArchiverSource> postgres, Optional<Path> dataDirectory) throws IOException {
        Instant now = clock.instant();
        Optional<ReadyBacklog> backlog = dataDirectory.isPresent()
                ? Optional.of(ReadyBacklog.of(dataDirectory.get())) : Optional.empty();
        ArchiverState archiver = null;
        Optional<String> problem = Optional.empty();
        if (postgres.isPresent()) {
            try {
                archiver = ArchiverState.of(postgres.get().read());
            } catch (IOException e) {
                problem = Optional.of(e.getMessage());
                LOG.warning(LogEvent.msg("PostgreSQL did not answer; reading the last archived segment from storage")
                        .detail(e.getMessage())
                        .hint("Set PGHOST, PGPORT and PGUSER as for backup-push to see archive_command's failures."));
            }
        }
        if (archiver == null) {
            archiver = newestStored();
        }
        List<BackupRow> newest = new BackupList(archive).rows(Optional.of("LATEST"), true);
        int backups = newest.isEmpty() ? 0 : archive.backups().all().size();
        return new HostStatus(now, archiver, problem, backlog, backups, newest.stream().findFirst());
    }

    /**
     * The newest segment under {@code wal_005/}: the highest name (timeline first, so a promoted server's segments
     * come after its ancestors'), with its object's time. Partial segments and history files are not archived WAL
     * positions of the running timeline.
     */
    private ArchiverState newestStored() throws IOException {
        ObjectInfo newest = null;
        SegmentName newestSegment = null;
        for (ObjectInfo o : archive.storage().list(ArchiveLayout.WAL_DIRECTORY)) {
            Optional<SegmentName> segment = WalArchiveIndex.WalObject.parse(o.key())
                    .filter(w -> w.kind() == WalFileName.Kind.SEGMENT).map(WalArchiveIndex.WalObject::segment);
            if (segment.isPresent() && (newestSegment == null || segment.get().compareTo(newestSegment) > 0)) {
                newestSegment = segment.get();
                newest = o;
            }
        }
        return ArchiverState.fromStorage(Optional.ofNullable(newestSegment).map(SegmentName::toString),
                Optional.ofNullable(newest).map(ObjectInfo::lastModified));
    }
}
