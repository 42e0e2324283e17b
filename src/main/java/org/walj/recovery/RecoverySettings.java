package org.walj.recovery;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.walj.UserException;

/**
 * PostgreSQL 12+'s recovery settings wal-j restore writes, and how they are quoted: {@code restore_command} is a
 * shell command line (PostgreSQL runs it with {@code sh -c} after replacing {@code %f}, {@code %p}, {@code %r} and
 * {@code %%}), inside a configuration file's single-quoted string (where {@code '} and {@code \} are escaped).
 *
 * @param inclusive empty: PostgreSQL's default (true)
 */
public record RecoverySettings(String restoreCommand, RecoveryTarget target, TargetAction action,
                               Optional<Boolean> inclusive, TargetTimeline timeline) {
    /** {@code recovery_target_action}; PostgreSQL's default is {@code pause}. */
    public enum TargetAction {
        PAUSE, PROMOTE, SHUTDOWN;

        public String text() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Settings a restored configuration may already hold that would fight ours (PostgreSQL allows one target). */
    private static final Pattern MANAGED = Pattern.compile(
            "(?i)^\\s*(restore_command|recovery_target[a-z_]*)\\s*(=|\\s).*");
    /** A word the shell reads as itself. */
    private static final Pattern PLAIN_WORD = Pattern.compile("[A-Za-z0-9_@+=:,./-]+");

    /** The settings in the order written; a target's settings only when there is one. */
    public Map<String, String> values() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("restore_command", restoreCommand);
        target.settingName().ifPresent(name -> out.put(name, target.settingValue()));
        if (target.kind() != RecoveryTarget.Kind.LATEST) {
            out.put("recovery_target_action", action.text());
            inclusive.ifPresent(i -> out.put("recovery_target_inclusive", i ? "on" : "off"));
        }
        out.put("recovery_target_timeline", timeline.text());
        return out;
    }

    /** The lines appended to the configuration file, after a comment saying where they come from. */
    public String block(String comment) {
        StringBuilder b = new StringBuilder("# ").append(comment.replaceAll("[\\r\\n]", " ")).append('\n');
        values().forEach((k, v) -> b.append(k).append(" = ").append(confString(v)).append('\n'));
        return b.toString();
    }

    /**
     * {@code restore_command}: {@code [WRAPPER] LAUNCHER [GLOBAL OPTIONS] wal-fetch "%f" "%p"}. The wrapper (e.g.
     * {@code envdir /etc/wal-e.d/env}) is shell text the operator wrote, used as is; the launcher and the options
     * are quoted word by word. Literal {@code %} is doubled so PostgreSQL does not replace it.
     */
    public static String restoreCommand(Optional<String> wrapper, Path launcher, List<String> globalOptions) {
        List<String> words = new ArrayList<>();
        wrapper.map(String::strip).filter(w -> !w.isEmpty()).ifPresent(w -> words.add(checked(w, "--env-command")));
        words.add(shellWord(checked(launcher.toString(), "the wal-j launcher path")));
        for (String option : globalOptions) {
            words.add(shellWord(checked(option, "a global option")));
        }
        String command = String.join(" ", words).replace("%", "%%");
        return command + " wal-fetch \"%f\" \"%p\"";
    }

    /** One shell word: as is when the shell reads it so, else single-quoted ({@code '} as {@code '\''}). */
    public static String shellWord(String word) {
        if (PLAIN_WORD.matcher(word).matches()) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /** A configuration file string: single quotes doubled, backslashes escaped (the file's lexer reads escapes). */
    public static String confString(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    /**
     * {@code text} with every line that sets {@code restore_command} or a {@code recovery_target*} setting commented
     * out (PostgreSQL refuses two recovery targets, and the last restore_command would win).
     */
    public static String disableManaged(String text) {
        StringBuilder out = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            out.append(MANAGED.matcher(line).matches() ? "# disabled by wal-j restore: " + line : line).append('\n');
        }
        out.setLength(out.length() - 1);
        return out.toString();
    }

    /** Whether {@code text} sets any setting {@link #disableManaged} comments out. */
    public static boolean setsManaged(String text) {
        return text.lines().anyMatch(l -> MANAGED.matcher(l).matches());
    }

    private static String checked(String text, String what) {
        if (text.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new UserException(what + " contains a control character (a newline?)", null,
                    "restore_command is one line of shell text; give a path or option without one.");
        }
        return text;
    }
}
