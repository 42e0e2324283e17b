package org.walj.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void readsEveryKindOfValue() throws Exception {
        Object v = Json.parse(" {\"a\": [1, -2.5e3, true, false, null], \"b\": {\"c\": \"x\\u00e9\\n\\\"\\\\\\/\"}} \n");
        Map<?, ?> m = (Map<?, ?>) v;
        List<?> a = (List<?>) m.get("a");
        assertEquals(new BigDecimal("1"), a.get(0));
        assertEquals(new BigDecimal("-2.5e3"), a.get(1));
        assertEquals(Boolean.TRUE, a.get(2));
        assertEquals(Boolean.FALSE, a.get(3));
        assertSame(Json.NULL, a.get(4));
        assertEquals("x\u00e9\n\"\\/", ((Map<?, ?>) m.get("b")).get("c"));
        assertEquals(List.of("a", "b"), List.copyOf(m.keySet()), "key order is kept");
    }

    @Test
    void surrogatePairsJoin() throws Exception {
        assertEquals("\uD83D\uDE00", Json.parse("\"\\ud83d\\ude00\""));
    }

    @Test
    void rejectsMalformedDocumentsWithWhere() {
        for (String bad : new String[]{"", "{", "{\"a\" 1}", "{\"a\": 1,}", "[1,]", "01", "1.", "-", "\"a",
                "{\"a\": 1} x", "{\"a\": 1, \"a\": 2}", "tru", "'a'", "\"\t\"", "\"\\x\"", "{1: 2}", "NaN"}) {
            Json.JsonException e = assertThrows(Json.JsonException.class, () -> Json.parse(bad), bad);
            assertTrue(e.getMessage().contains("at character"), e.getMessage());
        }
    }

    @Test
    void deepNestingIsAnErrorNotAStackOverflow() {
        String deep = "[".repeat(10_000) + "]".repeat(10_000);
        assertThrows(Json.JsonException.class, () -> Json.parse(deep));
    }
}
