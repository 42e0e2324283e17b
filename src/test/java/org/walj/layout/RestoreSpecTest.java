package org.walj.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class RestoreSpecTest {
    static final RestoreSpec RECORDED = new RestoreSpec("/old/data/", List.of(
            new Tablespace("16385", "/srv/ts1/", "pg_tblspc/16385"),
            new Tablespace("16386", "/srv/ts2/", "pg_tblspc/16386")));

    @Test
    void parsesWalEShape() throws IOException {
        RestoreSpec s = RestoreSpec.parse("{\"tablespaces\": [\"16385\"], "
                + "\"16385\": {\"loc\": \"/new/place/\", \"link\": \"pg_tblspc/16385\"}}");
        assertEquals("", s.basePrefix());
        assertEquals(List.of(new Tablespace("16385", "/new/place/", "pg_tblspc/16385")), s.tablespaces());
    }

    @Test
    void mergeIsDictUpdate() throws IOException {
        // only one tablespace's entry given: the list stays, that entry is replaced
        RestoreSpec m = RECORDED.mergedWith("{\"16386\": {\"loc\": \"/new/ts2/\", \"link\": \"pg_tblspc/16386\"}}");
        assertEquals("/old/data/", m.basePrefix());
        assertEquals(List.of(new Tablespace("16385", "/srv/ts1/", "pg_tblspc/16385"),
                new Tablespace("16386", "/new/ts2/", "pg_tblspc/16386")), m.tablespaces());
        // a list given replaces the list
        RestoreSpec only = RECORDED.mergedWith("{\"tablespaces\": [\"16385\"], \"base_prefix\": \"/x/\"}");
        assertEquals(List.of(new Tablespace("16385", "/srv/ts1/", "pg_tblspc/16385")), only.tablespaces());
        assertEquals("/x/", only.basePrefix());
    }

    @Test
    void errorsNameTheProblem() {
        IOException e = assertThrows(IOException.class, () -> RestoreSpec.parse("{\"tablespaces\": [\"a\"]}"));
        assertEquals("restore spec: tablespace names must be OIDs (strings of digits), found a", e.getMessage());
        e = assertThrows(IOException.class, () -> RestoreSpec.parse("{\"tablespaces\": [\"1\"], \"1\": {\"loc\": 2}}"));
        assertEquals("restore spec tablespace 1: \"loc\" must be a string, found a number", e.getMessage());
        e = assertThrows(IOException.class, () -> RestoreSpec.parse("nope"));
        assertEquals("restore spec is not valid JSON: unexpected text, expected null at character 1", e.getMessage());
    }
}
