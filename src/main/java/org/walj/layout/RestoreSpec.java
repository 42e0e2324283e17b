package org.walj.layout;

import java.util.List;
import java.util.Objects;

/**
 * The {@code spec} object of a WAL-E sentinel and of {@code --restore-spec}: the data directory as given at backup
 * time (with a trailing slash) and its tablespaces, in the order they were listed.
 */
public record RestoreSpec(String basePrefix, List<Tablespace> tablespaces) {
    public RestoreSpec {
        Objects.requireNonNull(basePrefix, "basePrefix");
        tablespaces = List.copyOf(tablespaces);
    }
}
