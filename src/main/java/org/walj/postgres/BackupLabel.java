package org.walj.postgres;

import java.util.Optional;

/**
 * What a backup's {@code backup_label} (the stop call's {@code labelfile}) says about where it starts: the start
 * location, the start timeline, and whether it was taken on a standby ({@code BACKUP FROM: standby}). The label is
 * the server's own text; a line it lacks is empty rather than an error, since older servers wrote fewer lines.
 */
public record BackupLabel(Optional<Lsn> start, Optional<Long> startTimeline, boolean fromStandby) {

    public static BackupLabel parse(String text) {
        Optional<Lsn> start = Optional.empty();
        Optional<Long> timeline = Optional.empty();
        boolean standby = false;
        for (String line : (text == null ? "" : text).split("\n")) {
            if (line.startsWith("START WAL LOCATION: ")) {
                String rest = line.substring("START WAL LOCATION: ".length());
                int space = rest.indexOf(' ');
                start = lsn(space < 0 ? rest : rest.substring(0, space));
            } else if (line.startsWith("START TIMELINE: ")) {
                try {
                    timeline = Optional.of(Long.parseLong(line.substring("START TIMELINE: ".length()).strip()));
                } catch (NumberFormatException e) {
                    timeline = Optional.empty();
                }
            } else if (line.strip().equals("BACKUP FROM: standby")) {
                standby = true;
            }
        }
        return new BackupLabel(start, timeline, standby);
    }

    private static Optional<Lsn> lsn(String text) {
        try {
            return Optional.of(Lsn.parse(text.strip()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
