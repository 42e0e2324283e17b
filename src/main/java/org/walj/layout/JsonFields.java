package org.walj.layout;

import java.io.IOException;
import java.util.Map;

/** Typed access to parsed {@link Json} values, failing with one line that names the document and the key. */
final class JsonFields {
    private JsonFields() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object value, String what) throws IOException {
        if (value instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new IOException(what + ": expected a JSON object, found " + kind(value));
    }

    static String string(Map<String, Object> map, String key, String what) throws IOException {
        Object v = map.get(key);
        if (v instanceof String s) {
            return s;
        }
        throw new IOException(what + ": \"" + key + "\" must be a string, found " + kind(v));
    }

    static String kind(Object v) {
        if (v == null) {
            return "nothing";
        }
        if (v instanceof Map) {
            return "an object";
        }
        if (v instanceof java.util.List) {
            return "an array";
        }
        if (v instanceof String) {
            return "a string";
        }
        if (v instanceof Boolean) {
            return "a boolean";
        }
        if (v == Json.NULL) {
            return "null";
        }
        return "a number";
    }
}
