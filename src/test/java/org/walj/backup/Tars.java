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
        tar = new TarArchiveOutputStream(bytes);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
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

    byte[] bytes() throws IOException {
        tar.finish();
        tar.close();
        return bytes.toByteArray();
    }
}
