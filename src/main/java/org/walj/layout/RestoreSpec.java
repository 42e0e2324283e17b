package org.walj.layout;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code spec} object of a WAL-E sentinel and of {@code --restore-spec}: the data directory as given at backup
 * time (with a trailing slash; empty when a restore spec leaves it out) and its tablespaces, in the order they were
 * listed.
 */
public record RestoreSpec(String basePrefix, List<Tablespace> tablespaces) {
    public RestoreSpec {
        Objects.requireNonNull(basePrefix, "basePrefix");
        tablespaces = List.copyOf(tablespaces);
    }

    /** A {@code --restore-spec} file's content on its own. */
    public static RestoreSpec parse(String json) throws IOException {
        return fromMap(JsonFields.object(parseJson(json), "restore spec"), "restore spec");
    }

    /**
     * This spec with a {@code --restore-spec} document merged over it the way WAL-E does (Python's
     * {@code dict.update}: each top-level key of the override replaces the same key here, so an override that names
     * a tablespace replaces its whole {@code {"loc", "link"}} entry, and an override's {@code tablespaces} list
     * replaces the list).
     */
    public RestoreSpec mergedWith(String overrideJson) throws IOException {
        Map<String, Object> merged = new LinkedHashMap<>(toMap());
        merged.putAll(JsonFields.object(parseJson(overrideJson), "restore spec"));
        return fromMap(merged, "restore spec");
    }

    static RestoreSpec fromMap(Map<String, Object> map, String what) throws IOException {
        Object base = map.get("base_prefix");
        String basePrefix;
        if (base == null || base == Json.NULL) {
            basePrefix = "";
        } else if (base instanceof String s) {
            basePrefix = s;
        } else {
            throw new IOException(what + ": \"base_prefix\" must be a string, found " + JsonFields.kind(base));
        }
        Object list = map.get("tablespaces");
        List<Tablespace> tablespaces = new ArrayList<>();
        if (list != null && list != Json.NULL) {
            if (!(list instanceof List<?> oids)) {
                throw new IOException(what + ": \"tablespaces\" must be an array, found " + JsonFields.kind(list));
            }
            for (Object o : oids) {
                if (!(o instanceof String oid) || !oid.matches("[0-9]+")) {
                    throw new IOException(what + ": tablespace names must be OIDs (strings of digits), found " + o);
                }
                Map<String, Object> entry = JsonFields.object(map.get(oid), what + " tablespace " + oid);
                tablespaces.add(new Tablespace(oid, JsonFields.string(entry, "loc", what + " tablespace " + oid),
                        JsonFields.string(entry, "link", what + " tablespace " + oid)));
            }
        }
        return new RestoreSpec(basePrefix, tablespaces);
    }

    private Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("base_prefix", basePrefix);
        List<Object> oids = new ArrayList<>();
        for (Tablespace t : tablespaces) {
            oids.add(t.oid());
            map.put(t.oid(), Map.of("loc", t.location(), "link", t.link()));
        }
        map.put("tablespaces", oids);
        return map;
    }

    private static Object parseJson(String json) throws IOException {
        try {
            return Json.parse(json);
        } catch (Json.JsonException e) {
            throw new IOException("restore spec is not valid JSON: " + e.getMessage());
        }
    }
}
