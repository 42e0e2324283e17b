package org.walj.settings;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every setting wal-j reads, one declaration per name; assembled above the packages that declare them. */
public final class SettingTable {
    private final Map<String, Setting<?>> byName;
    private final List<VariableFamily> families;

    private SettingTable(Map<String, Setting<?>> byName, List<VariableFamily> families) {
        this.byName = Collections.unmodifiableMap(byName);
        this.families = List.copyOf(families);
    }

    /** The declarations of each part, in order; a name declared twice is a bug. */
    @SafeVarargs
    public static SettingTable of(Collection<? extends Setting<?>>... parts) {
        Map<String, Setting<?>> byName = new LinkedHashMap<>();
        for (Collection<? extends Setting<?>> part : parts) {
            for (Setting<?> setting : part) {
                if (byName.putIfAbsent(setting.name(), setting) != null) {
                    throw new IllegalArgumentException(setting.name() + " is declared twice");
                }
            }
        }
        return new SettingTable(byName, List.of());
    }

    /** This table plus the variables libraries read by themselves. */
    public SettingTable withFamilies(Collection<VariableFamily> more) {
        List<VariableFamily> all = new ArrayList<>(families);
        all.addAll(more);
        return new SettingTable(new LinkedHashMap<>(byName), all);
    }

    public List<VariableFamily> families() {
        return families;
    }

    /** A variable the table keeps when it reads an environment: declared, or of a declared family. */
    boolean keeps(String name) {
        return byName.containsKey(name) || families.stream().anyMatch(f -> f.contains(name));
    }

    /** A variable the daemon compares with its client's. */
    boolean mustMatch(String name) {
        Setting<?> s = byName.get(name);
        if (s != null) {
            return s.scope() == Scope.MUST_MATCH_DAEMON;
        }
        return families.stream().anyMatch(f -> f.scope() == Scope.MUST_MATCH_DAEMON && f.contains(name));
    }

    public List<Setting<?>> settings() {
        return List.copyOf(byName.values());
    }

    public Optional<Setting<?>> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The settings of one scope, in declaration order. */
    public List<Setting<?>> inScope(Scope scope) {
        List<Setting<?>> out = new ArrayList<>();
        for (Setting<?> s : byName.values()) {
            if (s.scope() == scope) {
                out.add(s);
            }
        }
        return out;
    }

    /** This exact declaration is in the table (the same name declared differently elsewhere is not). */
    boolean declares(Setting<?> setting) {
        return byName.get(setting.name()) == setting;
    }
}
