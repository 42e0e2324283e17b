package org.walj.backup;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** Builds small tar streams, including hostile ones, for extraction tests. */
final class Tars {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final TarArchiveOutputStream tar;

    Tars() {
        this(TarArchiveOutputStream.LONGFILE_POSIX);
    }

    /** {@code longFileMode}: PAX headers ({@code LONGFILE_POSIX}) or GNU {@code L}/{@code K} members. */
    Tars(int longFileMode) {
        tar = new TarArchiveOutputStream(bytes);
        tar.setLongFileMode(longFileMode);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    }

    /** A member of another type (FIFO, device...) with no content. */
    Tars special(String name, byte typeFlag) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, typeFlag, true);
        e.setMode(0644);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
        return this;
    }

    /** A symlink member with a long link target (PAX linkpath or GNU K member). */
    Tars symlink(String name, String target, int mode) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
        e.setLinkName(target);
        e.setMode(0120000 | mode);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
        return this;
    }

    Tars dir(String name, int mode) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_DIR, true);
        e.setMode(mode);
        e.setModTime(new Date(1_600_000_000_000L));
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
        return this;
    }

    Tars file(String name, String content) throws IOException {
        return file(name, content, 0600, 1_500_000_000_000L);
    }

    Tars file(String name, String content, int mode, long mtimeMillis) throws IOException {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry(name, true);
        e.setSize(data.length);
        e.setMode(0100000 | mode);
        e.setModTime(new Date(mtimeMillis));
        tar.putArchiveEntry(e);
        tar.write(data);
        tar.closeArchiveEntry();
        return this;
    }

    Tars ownedFile(String name, String user, long uid, String group, long gid) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, true);
        e.setSize(0);
        e.setUserName(user);
        e.setUserId(uid);
        e.setGroupName(group);
        e.setGroupId(gid);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
        return this;
    }

    Tars symlink(String name, String target) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
        e.setLinkName(target);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
        return this;
    }

    Tars hardLink(String name, String target) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_LINK, true);
        e.setLinkName(target);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
        return this;
    }

    /** A file of {@code size} bytes of one value, without holding them in memory. */
    Tars bigFile(String name, long size, int mode) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, true);
        e.setSize(size);
        e.setMode(0100000 | mode);
        e.setModTime(new Date(1_500_000_000_000L));
        tar.putArchiveEntry(e);
        byte[] chunk = new byte[64 * 1024];
        java.util.Arrays.fill(chunk, (byte) 'x');
        for (long left = size; left > 0; left -= chunk.length) {
            tar.write(chunk, 0, (int) Math.min(left, chunk.length));
        }
        tar.closeArchiveEntry();
        return this;
    }

    /**
     * A tar whose only member's header declares {@code declaredSize} bytes but which holds {@code actual}: a header
     * written by hand (a writer would refuse), then the bytes, then end-of-archive blocks.
     */
    static byte[] lyingSize(String name, long declaredSize, byte[] actual) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, true);
        e.setSize(declaredSize);
        e.setMode(0100600);
        byte[] header = new byte[512];
        e.writeEntryHeader(header, org.apache.commons.compress.archivers.zip.ZipEncodingHelper.getZipEncoding("UTF-8"),
                true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(header);
        out.write(actual);
        out.write(new byte[(512 - actual.length % 512) % 512 + 1024]);
        return out.toByteArray();
    }

    byte[] bytes() throws IOException {
        tar.finish();
        tar.close();
        return bytes.toByteArray();
    }
}
