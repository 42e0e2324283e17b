package org.walj.daemon;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProtocolTest {

    private static byte[] encode(Protocol.Request request) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Protocol.writeRequest(new DataOutputStream(bytes), request);
        return bytes.toByteArray();
    }

    private static Protocol.Request decode(byte[] bytes) throws IOException {
        return Protocol.readRequest(new DataInputStream(new ByteArrayInputStream(bytes)));
    }

    @Test
    void requestRoundTripsWithUnicodeEmptyStringsAndEqualsSignsInValues() throws IOException {
        Protocol.Request request = new Protocol.Request("build:1", "/var/lib/pg data/ü",
                List.of("--terse", "wal-fetch", "", "pg_wal/RECOVERYXLOG"),
                Map.of("WALE_S3_PREFIX", "s3://b/p?x=y=z", "WALJ_EMPTY", ""));
        byte[] bytes = encode(request);
        assertArrayEquals("WALJ".getBytes(StandardCharsets.US_ASCII), Arrays.copyOf(bytes, 4));
        assertEquals(Protocol.VERSION, bytes[4]);
        assertEquals(request, decode(bytes));
    }

    @Test
    void garbageWrongVersionOversizedAndTruncatedRequestsAreMalformedNotCrashes() throws IOException {
        assertMalformed("not a wal-j request", "GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
        assertMalformed("protocol version 2 is not supported", new byte[] {'W', 'A', 'L', 'J', 2});
        assertMalformed("request length 4294967295 is out of range",
                new byte[] {'W', 'A', 'L', 'J', 1, -1, -1, -1, -1});
        assertMalformed("request length 1048577 is out of range", new byte[] {'W', 'A', 'L', 'J', 1, 0, 16, 0, 1});

        byte[] good = encode(new Protocol.Request("b", "/", List.of("wal-push", "x"), Map.of("WALE_A", "1")));
        // a body whose lists claim more than it holds
        byte[] lying = good.clone();
        lying[9 + 3] = 100; // the first list's count
        assertMalformed("", lying);
        // trailing bytes inside the declared body
        byte[] longer = Arrays.copyOf(good, good.length + 1);
        longer[8] = (byte) (longer[8] + 1);
        assertMalformed("trailing bytes", longer);
        // the stream ends early: the client went away (not malformed)
        assertThrows(EOFException.class, () -> decode(Arrays.copyOf(good, good.length - 1)));
    }

    @Test
    void environmentEntriesNeedANameAndStringLengthsAreBounded() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        DataOutputStream b = new DataOutputStream(body);
        b.writeInt(2);
        writeString(b, "b");
        writeString(b, "/");
        b.writeInt(0);
        b.writeInt(1);
        writeString(b, "=nameless");
        assertMalformed("environment entry without a name", frame(body.toByteArray()));

        body.reset();
        b.writeInt(2);
        b.writeInt(Integer.MAX_VALUE);
        assertMalformed("out of range", frame(body.toByteArray()));
    }

    @Test
    void framesCarryOutputExitAndRefusal() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        byte[] log = "wal_e.main   INFO     MSG: x\n".getBytes(StandardCharsets.UTF_8);
        Protocol.writeFrame(out, Protocol.STDERR, log, 0, log.length);
        Protocol.writeExit(out, 200);
        Protocol.writeRefusal(out, "the environment differs");
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
        Protocol.Frame f = Protocol.readFrame(in);
        assertEquals(Protocol.STDERR, f.type());
        assertArrayEquals(log, f.payload());
        f = Protocol.readFrame(in);
        assertEquals(Protocol.EXIT, f.type());
        assertEquals(200, f.exitStatus());
        f = Protocol.readFrame(in);
        assertEquals(Protocol.REFUSED, f.type());
        assertEquals("the environment differs", f.text());
        assertThrows(EOFException.class, () -> Protocol.readFrame(in));
        IOException bad = assertThrows(IOException.class, () -> Protocol.readFrame(new DataInputStream(
                new ByteArrayInputStream(new byte[] {'X', 0, 0, 0, 9, 1, 2, 3, 4, 5, 6, 7, 8, 9}))));
        assertTrue(bad.getMessage().contains("malformed answer"), bad.getMessage());
    }

    @Test
    void onlyVariablesThatChangeBehaviourTravelAndLauncherOnesDoNot() {
        Map<String, String> env = new java.util.HashMap<>(Map.of("WALE_S3_PREFIX", "s3://b", "AWS_REGION", "x",
                "GOOGLE_APPLICATION_CREDENTIALS", "/k", "GNUPGHOME", "/g", "WALJ_FETCH_ERROR_EXIT_CODE", "1",
                "HOME", "/h", "WALJ_JAVA", "/j", "WALJ_JAVA_OPTS", "-Xmx1g", "WALJ_DAEMON_SOCKET", "/s",
                "WALJ_CDS_DIR", "/c"));
        env.put("STORAGE_EMULATOR_HOST", "http://localhost:4443");
        Map<String, String> relevant = DaemonClient.relevant(env);
        assertEquals(List.of("AWS_REGION", "GNUPGHOME", "GOOGLE_APPLICATION_CREDENTIALS", "STORAGE_EMULATOR_HOST",
                "WALE_S3_PREFIX", "WALJ_FETCH_ERROR_EXIT_CODE"), List.copyOf(relevant.keySet()));
    }

    private static void assertMalformed(String message, byte[] bytes) {
        Protocol.MalformedRequestException e = assertThrows(Protocol.MalformedRequestException.class,
                () -> decode(bytes));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    private static byte[] frame(byte[] body) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(Protocol.MAGIC);
        out.writeByte(Protocol.VERSION);
        out.writeInt(body.length);
        out.write(body);
        return bytes.toByteArray();
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }
}
