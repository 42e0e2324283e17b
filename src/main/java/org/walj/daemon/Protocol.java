package org.walj.daemon;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The wire format between {@code wal-j wal-push|wal-fetch} (the client) and {@code wal-j daemon}. Uses java.base
 * only: the client loads nothing else before it knows whether a daemon answers.
 *
 * <p>Request (client to daemon): the 4 bytes {@code WALJ}, a version byte ({@link #VERSION}), then one
 * length-prefixed body (u32, at most {@link #MAX_REQUEST} bytes) holding string lists, each an u32 count followed
 * by u32-length-prefixed UTF-8 strings: {@code [build, cwd]}, the arguments, and the environment as
 * {@code NAME=value} entries.
 *
 * <p>Response (daemon to client): frames of one type byte and an u32 length, then the payload: {@link #STDOUT} and
 * {@link #STDERR} carry output bytes as they are produced, {@link #EXIT} ends the answer with an u32 exit status,
 * {@link #REFUSED} ends it with a UTF-8 reason the client prints before doing the work itself.
 */
public final class Protocol {
    public static final byte[] MAGIC = {'W', 'A', 'L', 'J'};
    public static final int VERSION = 1;
    /** Far more than any real argument list and environment; anything larger is garbage. */
    public static final int MAX_REQUEST = 1 << 20;
    /** Log records are small; a longer frame from a daemon means a broken stream. */
    public static final int MAX_FRAME = 1 << 24;

    public static final byte STDOUT = 'O';
    public static final byte STDERR = 'E';
    public static final byte EXIT = 'X';
    public static final byte REFUSED = 'R';

    private Protocol() {
    }

    /** What the client asks for. */
    public record Request(String build, String cwd, List<String> args, Map<String, String> env) {
        public Request {
            args = List.copyOf(args);
            env = Map.copyOf(env);
        }
    }

    /** A request that could not be decoded; the daemon answers it with {@link #REFUSED} and keeps serving. */
    public static final class MalformedRequestException extends IOException {
        public MalformedRequestException(String message) {
            super(message);
        }
    }

    public static void writeRequest(DataOutputStream out, Request request) throws IOException {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream(4096);
        DataOutputStream b = new DataOutputStream(body);
        writeList(b, List.of(request.build(), request.cwd()));
        writeList(b, request.args());
        List<String> env = new ArrayList<>();
        for (Map.Entry<String, String> e : request.env().entrySet()) {
            env.add(new StringBuilder(e.getKey()).append('=').append(e.getValue()).toString());
        }
        writeList(b, env);
        b.flush();
        out.write(MAGIC);
        out.writeByte(VERSION);
        out.writeInt(body.size());
        body.writeTo(out);
        out.flush();
    }

    public static Request readRequest(DataInputStream in) throws IOException {
        byte[] magic = new byte[MAGIC.length];
        in.readFully(magic);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw new MalformedRequestException("not a wal-j request");
        }
        int version = in.readUnsignedByte();
        if (version != VERSION) {
            throw new MalformedRequestException("protocol version " + version + " is not supported (this daemon speaks "
                    + VERSION + ")");
        }
        int length = in.readInt();
        if (length < 0 || length > MAX_REQUEST) {
            throw new MalformedRequestException("request length " + Integer.toUnsignedString(length) + " is out of range");
        }
        byte[] body = new byte[length];
        in.readFully(body);
        DataInputStream b = new DataInputStream(new java.io.ByteArrayInputStream(body));
        try {
            List<String> head = readList(b, length);
            if (head.size() != 2) {
                throw new MalformedRequestException("request header has " + head.size() + " fields, not 2");
            }
            List<String> args = readList(b, length);
            Map<String, String> env = new LinkedHashMap<>();
            for (String entry : readList(b, length)) {
                int eq = entry.indexOf('=');
                if (eq <= 0) {
                    throw new MalformedRequestException("environment entry without a name");
                }
                env.put(entry.substring(0, eq), entry.substring(eq + 1));
            }
            if (b.available() != 0) {
                throw new MalformedRequestException("trailing bytes after the request");
            }
            return new Request(head.get(0), head.get(1), args, env);
        } catch (EOFException truncated) {
            throw new MalformedRequestException("request body is truncated");
        }
    }

    public static void writeFrame(DataOutputStream out, byte type, byte[] payload, int offset, int length)
            throws IOException {
        out.writeByte(type);
        out.writeInt(length);
        out.write(payload, offset, length);
        out.flush();
    }

    public static void writeExit(DataOutputStream out, int status) throws IOException {
        out.writeByte(EXIT);
        out.writeInt(4);
        out.writeInt(status);
        out.flush();
    }

    public static void writeRefusal(DataOutputStream out, String reason) throws IOException {
        byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
        writeFrame(out, REFUSED, bytes, 0, bytes.length);
    }

    /** One response frame. */
    public record Frame(byte type, byte[] payload) {
        public int exitStatus() {
            return ((payload[0] & 0xff) << 24) | ((payload[1] & 0xff) << 16) | ((payload[2] & 0xff) << 8)
                    | (payload[3] & 0xff);
        }

        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    /** The next frame; {@link EOFException} when the daemon went away before ending its answer. */
    public static Frame readFrame(DataInputStream in) throws IOException {
        byte type = in.readByte();
        int length = in.readInt();
        if (length < 0 || length > MAX_FRAME || (type == EXIT && length != 4)) {
            throw new IOException("malformed answer from the daemon (frame '" + (char) type + "', " + length + " bytes)");
        }
        byte[] payload = new byte[length];
        in.readFully(payload);
        return new Frame(type, payload);
    }

    private static void writeList(DataOutputStream out, List<String> values) throws IOException {
        out.writeInt(values.size());
        for (String v : values) {
            byte[] bytes = v.getBytes(StandardCharsets.UTF_8);
            out.writeInt(bytes.length);
            out.write(bytes);
        }
    }

    private static List<String> readList(DataInputStream in, int limit) throws IOException {
        int count = in.readInt();
        if (count < 0 || count > limit) {
            throw new MalformedRequestException("list of " + Integer.toUnsignedString(count) + " entries is out of range");
        }
        List<String> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int length = in.readInt();
            if (length < 0 || length > limit) {
                throw new MalformedRequestException("string of " + Integer.toUnsignedString(length)
                        + " bytes is out of range");
            }
            byte[] bytes = new byte[length];
            in.readFully(bytes);
            values.add(new String(bytes, StandardCharsets.UTF_8));
        }
        return values;
    }
}
