package org.walj.recovery;

import java.util.OptionalLong;
import org.walj.UserException;

/**
 * {@code recovery_target_timeline}: {@code latest} (PostgreSQL 12+'s default), {@code current} (the backup's) or a
 * timeline number.
 */
public record TargetTimeline(String text, OptionalLong number) {
    public static final TargetTimeline LATEST = new TargetTimeline("latest", OptionalLong.empty());
    public static final TargetTimeline CURRENT = new TargetTimeline("current", OptionalLong.empty());

    public static TargetTimeline parse(String text) {
        if (text.equals("latest")) {
            return LATEST;
        }
        if (text.equals("current")) {
            return CURRENT;
        }
        if (text.matches("[0-9]{1,10}") && Long.parseLong(text) >= 1 && Long.parseLong(text) <= 0xFFFFFFFFL) {
            return new TargetTimeline(text, OptionalLong.of(Long.parseLong(text)));
        }
        throw new UserException("cannot read the target timeline \"" + text + "\"", null,
                "Give latest (the default), current (the backup's timeline) or a timeline number.");
    }
}
