package org.walj.backup;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.walj.pipeline.EncoderOptions;
import org.walj.layout.BackupLayout;
import org.walj.layout.BackupName;
import org.walj.layout.StoragePrefix;
import org.walj.pipeline.ObjectCodec;
import org.walj.storage.Storage;

/**
 * A genuine wal-j backup of a small cluster-shaped directory, made by {@link BackupPusher#pushOffline} into real
 * storage: the real listing, tar writer, codec and manifest. Only pg_config and pg_controldata are stand-ins (shell
 * scripts reporting a cleanly stopped cluster), since there is no PostgreSQL here; BackupVerifyIT does the same with
 * a real one. {@link #rewrite} then changes one partition as someone with write access to the archive could: decode,
 * edit the tar's members, encode, store.
 */
final class GenuineBackup {
    static final String WAL_LINK = "pg_wal";
    static final String EMPTY_FILE = "base/1/2619_vm";

    /** One member of a partition, its content for regular files. */
    record Member(TarArchiveEntry entry, byte[] data) {
    }

    @FunctionalInterface
    interface Edit {
        void apply(List<Member> members) throws IOException;
    }

    private GenuineBackup() {
    }

    /** Makes {@code tmp/data} (modes 0700 and 0600, a pg_wal symlink to {@code tmp/wal}) and pushes it. */
    static BackupName push(Path tmp, Storage storage, ObjectCodec codec) throws IOException {
        Path data = tmp.resolve("data");
        dir(data);
        file(data.resolve("PG_VERSION"), "15\n");
        dir(data.resolve("global"));
        file(data.resolve("global/pg_control"), "control");
        dir(data.resolve("base"));
        dir(data.resolve("base/1"));
        file(data.resolve("base/1/1259"), "x".repeat(20_000));
        file(data.resolve(EMPTY_FILE), "");
        dir(data.resolve("pg_tblspc"));
        dir(data.resolve("pg_stat_tmp"));
        file(data.resolve("postgresql.conf"), "# not backed up\n");
        dir(tmp.resolve("wal"));
        Files.createSymbolicLink(data.resolve(WAL_LINK), tmp.resolve("wal"));

        Path bin = Files.createDirectories(tmp.resolve("bin"));
        script(bin.resolve("pg_config"), "echo 'BINDIR = " + bin + "'; echo 'VERSION = PostgreSQL 15.0'");
        script(bin.resolve("pg_controldata"), "echo 'Database cluster state:               shut down'; "
                + "echo \"Latest checkpoint's REDO location:    0/2000028\"; "
                + "echo \"Latest checkpoint's TimeLineID:       1\"; "
                + "echo 'Bytes per WAL segment:                16777216'");
        return new BackupPusher(storage, StoragePrefix.parse("file://localhost" + tmp.resolve("archive")), codec, 2,
                ReadRateLimit.unlimited()).pushOffline(data, bin.resolve("pg_config"));
    }

    /** Replaces partition {@code number} of {@code backup} by the same members after {@code edit}. */
    static void rewrite(Storage storage, ObjectCodec codec, BackupName backup, int number, Edit edit)
            throws IOException {
        String key = BackupLayout.partitionKey(backup, number, codec.suffix());
        List<Member> members = new ArrayList<>();
        try (InputStream stored = storage.get(key); InputStream plain = codec.decoder(key, stored);
             TarArchiveInputStream tar = new TarArchiveInputStream(plain, StandardCharsets.UTF_8.name())) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                members.add(new Member(e, tar.readAllBytes()));
            }
        }
        edit.apply(members);
        ByteArrayOutputStream tarBytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(tarBytes, StandardCharsets.UTF_8.name())) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (Member m : members) {
                tar.putArchiveEntry(m.entry());
                tar.write(m.data());
                tar.closeArchiveEntry();
            }
        }
        ByteArrayOutputStream encoded = new ByteArrayOutputStream();
        try (OutputStream enc = codec.encoder(encoded, EncoderOptions.pipe())) {
            enc.write(tarBytes.toByteArray());
        }
        storage.put(key, new ByteArrayInputStream(encoded.toByteArray()), null);
    }

    /** The member named {@code name}; fails when there is none. */
    static Member find(List<Member> members, String name) {
        return members.stream().filter(m -> m.entry().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no member " + name + " in the partition"));
    }

    private static void dir(Path p) throws IOException {
        Files.createDirectories(p);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
    }

    private static void file(Path p, String content) throws IOException {
        Files.writeString(p, content);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
    }

    private static void script(Path p, String body) throws IOException {
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
    }
}
