package org.walj.settings;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The values of a {@link SettingTable}, read once from an environment: only declared names are kept, so nothing
 * reads a variable the table does not list ({@link #get} of an undeclared setting throws). Texts are parsed when a
 * setting is asked for, not up front: a bad {@code WALJ_S3_PART_SIZE_MIB} fails an s3:// command, not a file:// one,
 * exactly as before the table existed. The only place wal-j's Java code reads the process environment (the logback
 * bootstrap and the java.base-only daemon client aside: docs/configuration.md).
 */
public final class Settings {
    private final SettingTable table;
    private final Map<String, String> texts;

    private Settings(SettingTable table, Map<String, String> texts) {
        this.table = table;
        this.texts = Map.copyOf(texts);
    }

    /** The declared settings of {@code environment}. */
    public static Settings read(SettingTable table, Map<String, String> environment) {
        Map<String, String> texts = new HashMap<>();
        environment.forEach((name, text) -> {
            if (table.keeps(name)) {
                texts.put(name, text);
            }
        });
        return new Settings(table, texts);
    }

    /** The declared settings of this process's environment. */
    public static Settings ofProcess(SettingTable table) {
        return read(table, System.getenv());
    }

    /** The same table read from another environment: a daemon client's. */
    public Settings forClient(Map<String, String> clientEnvironment) {
        return read(table, clientEnvironment);
    }

    /** The value: parsed when set, else the default (empty when the setting has none). */
    public <T> Optional<T> get(Setting<T> setting) {
        Optional<String> text = text(setting);
        return text.isPresent() ? Optional.of(setting.parser().parse(setting.name(), text.get()))
                : setting.defaultValue();
    }

    /** The value of a setting that has a default. */
    public <T> T value(Setting<T> setting) {
        return get(setting).orElseThrow(() -> new IllegalStateException(setting.name() + " has no default"));
    }

    /** The text as set; empty when unset (or empty, for a setting where empty means unset). */
    public Optional<String> text(Setting<?> setting) {
        if (!table.declares(setting)) {
            throw new IllegalArgumentException(setting.name() + " is read but not declared in the setting table");
        }
        String text = texts.get(setting.name());
        return text == null || (setting.emptyIsUnset() && text.isEmpty()) ? Optional.empty() : Optional.of(text);
    }

    public boolean isSet(Setting<?> setting) {
        return text(setting).isPresent();
    }

    /** The texts of {@code settings} that are set (empty ones included), for a lower layer that takes a map. */
    public Map<String, String> texts(Collection<? extends Setting<?>> settings) {
        Map<String, String> out = new HashMap<>();
        for (Setting<?> s : settings) {
            text(s); // declared?
            String text = texts.get(s.name());
            if (text != null) {
                out.put(s.name(), text);
            }
        }
        return Map.copyOf(out);
    }

    /**
     * The names (never the values: some are secret) of the {@link Scope#MUST_MATCH_DAEMON} settings and family
     * members whose text in {@code clientEnvironment} differs from this one's; set-but-empty and unset differ.
     */
    public SortedSet<String> mustMatchDifferences(Map<String, String> clientEnvironment) {
        SortedSet<String> names = new TreeSet<>();
        texts.keySet().stream().filter(table::mustMatch).forEach(names::add);
        clientEnvironment.keySet().stream().filter(table::mustMatch).forEach(names::add);
        names.removeIf(name -> Objects.equals(texts.get(name), clientEnvironment.get(name)));
        return names;
    }

    /** Names only: values may be secret. */
    @Override
    public String toString() {
        return "Settings" + new TreeSet<>(texts.keySet());
    }
}
