package org.walj.backup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walj.layout.ManifestEntry;

/** The listed size is what goes into the tar (spec 6.5), whatever happened to the file since. */
class TarPartitionWriterTest {

    @Test
    void grownFilesAreCutShrunkOnesPaddedVanishedOnesLeftOut(@TempDir Path tmp) throws IOException {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.writeString(data.resolve("grows"), "0123456789");
        Files.writeString(data.resolve("shrinks"), "0123456789");
        Files.writeString(data.resolve("vanishes"), "0123456789");
        String longName = "d".repeat(120) + "/" + "e".repeat(120) + "/file-with-a-long-name";
        Files.createDirectories(data.resolve(longName).getParent());
        Files.writeString(data.resolve(longName), "long");
        Files.createSymbolicLink(data.resolve("link"), Path.of("/somewhere/else"));
        ClusterListing listing = ClusterListing.of(data);

        Files.writeString(data.resolve("grows"), "0123456789ABCDEF");
        Files.writeString(data.resolve("shrinks"), "0123");
        Files.delete(data.resolve("vanishes"));

        List<ManifestEntry> manifest = new ArrayList<>();
        Map<String, byte[]> read = readTar(write(listing, manifest::add));
        assertArrayEquals("0123456789".getBytes(StandardCharsets.US_ASCII), read.get("grows"));
        // the manifest records what went into the tar, cut or padded, once per file, never the vanished one
        Map<String, ManifestEntry> byName = new LinkedHashMap<>();
        manifest.forEach(e -> byName.put(e.name(), e));
        assertEquals(manifest.size(), byName.size());
        // every member: the directories and the symbolic link too, with their modes and the link's target
        String longDir = longName.substring(0, longName.lastIndexOf('/'));
        assertEquals(java.util.Set.of("./", "grows", "shrinks", "link", longDir.substring(0, 120) + "/",
                longDir + "/", longName), byName.keySet());
        for (String name : List.of("grows", "shrinks", longName)) {
            ManifestEntry e = byName.get(name);
            assertEquals(0, e.partition());
            assertEquals(ManifestEntry.Type.FILE, e.type());
            assertEquals(read.get(name).length, e.size(), name);
            assertArrayEquals(sha256(read.get(name)), e.sha256(), name);
            assertEquals(Files.getAttribute(data.resolve(name), "unix:mode", java.nio.file.LinkOption.NOFOLLOW_LINKS),
                    0100000 | e.mode(), name);
        }
        assertEquals(ManifestEntry.directory(0, "./", (Integer) Files.getAttribute(data, "unix:mode") & 07777),
                byName.get("./"));
        assertEquals(ManifestEntry.symlink(0, "link", 0777, "/somewhere/else"), byName.get("link"));
        byte[] padded = new byte[10];
        System.arraycopy("0123".getBytes(StandardCharsets.US_ASCII), 0, padded, 0, 4);
        assertArrayEquals(padded, read.get("shrinks"));
        assertTrue(!read.containsKey("vanishes"), "a vanished file is left out");
        assertArrayEquals("long".getBytes(StandardCharsets.US_ASCII), read.get(longName));
        assertTrue(read.containsKey("./"));
        assertTrue(read.containsKey("link -> /somewhere/else"));
    }

    @Test
    void gnuTarListsAndExtractsIt(@TempDir Path tmp) throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data"));
        String longName = "x".repeat(150) + "/" + "y".repeat(150);
        Files.createDirectories(data.resolve(longName).getParent());
        Files.writeString(data.resolve(longName), "payload");
        Files.writeString(data.resolve("PG_VERSION"), "15\n");
        Path tarFile = tmp.resolve("p.tar");
        Files.write(tarFile, write(ClusterListing.of(data)));
        Path out = Files.createDirectories(tmp.resolve("out"));
        Process p = new ProcessBuilder("tar", "-xf", tarFile.toString(), "-C", out.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), output);
        assertEquals("payload", Files.readString(out.resolve(longName)));
        assertEquals("15\n", Files.readString(out.resolve("PG_VERSION")));
    }

    @Test
    void anUnreadableFileIsAnError(@TempDir Path tmp) throws IOException {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Path secret = data.resolve("secret");
        Files.writeString(secret, "x");
        ClusterListing listing = ClusterListing.of(data);
        // root reads anything: make the file unreadable by replacing it with a directory of the same name
        Files.delete(secret);
        Files.createDirectory(secret, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("---------")));
        IOException e = assertThrows(IOException.class, () -> write(listing));
        assertTrue(e.getMessage().startsWith("could not read " + secret), e.getMessage());
    }

    @Test
    void generatedMembersCarryTheOwnerGiven() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ClusterMember owner = new ClusterMember(Path.of("/d"), "./", ClusterMember.Type.DIRECTORY, 0, 0700, 0, 106,
                112, "postgres", "postgres", null);
        Map<String, String> files = new LinkedHashMap<>();
        files.put("backup_label", "START WAL LOCATION: 0/2000028 (file 000000010000000000000002)\n");
        List<ManifestEntry> manifest = new ArrayList<>();
        TarPartitionWriter.writeGenerated(out, 7, files, 1_700_000_000_000L, owner, manifest::add);
        assertEquals(List.of(ManifestEntry.file(7, "backup_label", 0600, files.get("backup_label").length(),
                sha256(files.get("backup_label").getBytes(StandardCharsets.UTF_8)))), manifest);
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            TarArchiveEntry e = in.getNextEntry();
            assertEquals("backup_label", e.getName());
            assertEquals(106, e.getLongUserId());
            assertEquals("postgres", e.getUserName());
            assertEquals(0600, e.getMode() & 07777);
            assertEquals(files.get("backup_label"), new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        assertEquals(0, out.size() % 10240, "padded to tar's 10 KiB record");
    }

    private static byte[] write(ClusterListing listing) throws IOException {
        return write(listing, ManifestSink.NONE);
    }

    private static byte[] write(ClusterListing listing, ManifestSink manifest) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Partition> parts = Partitioning.split(listing.members());
        for (Partition p : parts) {
            new TarPartitionWriter(ReadRateLimit.unlimited()).write(p, out, manifest);
        }
        return out.toByteArray();
    }

    private static byte[] sha256(byte[] data) {
        return ManifestEntry.newDigest().digest(data);
    }

    private static Map<String, byte[]> readTar(byte[] tar) throws IOException {
        Map<String, byte[]> m = new LinkedHashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                String key = e.isSymbolicLink() ? e.getName() + " -> " + e.getLinkName() : e.getName();
                m.put(key, in.readAllBytes());
            }
        }
        return m;
    }

}
