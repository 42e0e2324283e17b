package org.walj.layout;

import java.util.Objects;

/**
 * One tablespace in a backup's spec: its OID (the entry name in {@code pg_tblspc/}), where its symlink pointed
 * ({@code loc}, with a trailing slash, exactly as readlink returned it), and the link's path relative to the data
 * directory ({@code pg_tblspc/<oid>}).
 */
public record Tablespace(String oid, String location, String link) {
    public Tablespace {
        Objects.requireNonNull(oid, "oid");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(link, "link");
        if (!oid.matches("[0-9]+")) {
            throw new IllegalArgumentException("tablespace OID must be digits: " + oid);
        }
    }
}
