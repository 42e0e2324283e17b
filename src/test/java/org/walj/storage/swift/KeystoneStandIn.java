package org.walj.storage.swift;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A stand-in for OpenStack keystone, which does not run on these machines (it needs a database, a WSGI server and
 * many Python packages that Debian 12 does not ship as one): a loopback HTTP server that answers keystone v2.0's
 * {@code POST /v2.0/tokens} and v3's {@code POST /v3/auth/tokens} as keystone does, for one user, password and
 * project. The token it hands out is a real tempauth token of the real {@link SwiftServer}, and the catalog's
 * object-store endpoints (region RegionOne: public and internal, plus a decoy in region Elsewhere that leads nowhere)
 * name the real storage URL, so everything after the token request runs against real Swift. It keeps the request
 * bodies for the tests to check what wal-j sent.
 */
final class KeystoneStandIn implements AutoCloseable {
    static final String USER = "alice";
    static final String PROJECT = "backups";
    static final String DOMAIN = "Default";
    static final String REGION = "RegionOne";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final SwiftServer swift;
    private final String password;
    private final List<JsonNode> requests = new ArrayList<>();
    private boolean staleNext; // guarded by this

    KeystoneStandIn(SwiftServer swift, String password) throws IOException {
        this.swift = Objects.requireNonNull(swift);
        this.password = Objects.requireNonNull(password);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/v2.0/tokens", e -> answer(e, 2));
        server.createContext("/v3/auth/tokens", e -> answer(e, 3));
        server.start();
    }

    String v2Url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v2.0";
    }

    String v3Url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v3";
    }

    synchronized List<JsonNode> requests() {
        return List.copyOf(requests);
    }

    /** The next token handed out is not one Swift knows (as after a revocation): the client must ask again. */
    synchronized void handOutAStaleTokenNext() {
        staleNext = true;
    }

    private synchronized boolean takeStale() {
        boolean stale = staleNext;
        staleNext = false;
        return stale;
    }

    private void answer(HttpExchange e, int version) throws IOException {
        try {
            handle(e, version);
        } catch (RuntimeException | IOException failure) {
            send(e, 500, null);
        } finally {
            e.close();
        }
    }

    private void handle(HttpExchange e, int version) throws IOException {
        if (!"POST".equals(e.getRequestMethod())) {
            send(e, 405, null);
            return;
        }
        JsonNode body;
        try (InputStream in = e.getRequestBody()) {
            body = JSON.readTree(in.readAllBytes());
        }
        synchronized (this) {
            requests.add(body);
        }
        if (!(version == 2 ? v2Valid(body) : v3Valid(body))) {
            send(e, 401, JSON.createObjectNode().set("error", JSON.createObjectNode().put("code", 401)
                    .put("title", "Unauthorized").put("message", "The request you have made requires "
                            + "authentication.")));
            return;
        }
        SwiftSession real = swift.session();
        if (takeStale()) {
            real = new SwiftSession(real.storageUrl(), "AUTH_tk00000000000000000000000000000000");
        }
        if (version == 2) {
            send(e, 200, v2Answer(real));
        } else {
            e.getResponseHeaders().add("X-Subject-Token", real.token());
            send(e, 201, v3Answer(real));
        }
    }

    private boolean v2Valid(JsonNode body) {
        JsonNode auth = body.path("auth");
        JsonNode credentials = auth.path("passwordCredentials");
        return USER.equals(credentials.path("username").asText()) && password.equals(credentials.path("password")
                .asText()) && PROJECT.equals(auth.path("tenantName").asText());
    }

    private boolean v3Valid(JsonNode body) {
        JsonNode auth = body.path("auth");
        JsonNode user = auth.path("identity").path("password").path("user");
        JsonNode project = auth.path("scope").path("project");
        return auth.path("identity").path("methods").toString().equals("[\"password\"]")
                && USER.equals(user.path("name").asText()) && DOMAIN.equals(user.path("domain").path("name").asText())
                && password.equals(user.path("password").asText()) && PROJECT.equals(project.path("name").asText())
                && DOMAIN.equals(project.path("domain").path("name").asText());
    }

    private static ObjectNode v2Answer(SwiftSession real) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode access = root.putObject("access");
        access.putObject("token").put("id", real.token()).put("expires", "2099-01-01T00:00:00Z");
        ArrayNode catalog = access.putArray("serviceCatalog");
        catalog.addObject().put("type", "identity").put("name", "keystone").putArray("endpoints").addObject()
                .put("region", REGION).put("publicURL", "http://127.0.0.1:1/v2.0");
        ArrayNode endpoints = catalog.addObject().put("type", "object-store").put("name", "swift")
                .putArray("endpoints");
        endpoints.addObject().put("region", "Elsewhere").put("publicURL", "http://127.0.0.1:1/v1/AUTH_decoy")
                .put("internalURL", "http://127.0.0.1:1/v1/AUTH_decoy");
        endpoints.addObject().put("region", REGION).put("publicURL", real.storageUrl().toString())
                .put("internalURL", real.storageUrl().toString()).put("adminURL", "http://127.0.0.1:1/admin");
        return root;
    }

    private static ObjectNode v3Answer(SwiftSession real) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode token = root.putObject("token");
        token.putArray("methods").add("password");
        token.put("expires_at", "2099-01-01T00:00:00.000000Z");
        ArrayNode catalog = token.putArray("catalog");
        catalog.addObject().put("type", "identity").put("name", "keystone").putArray("endpoints").addObject()
                .put("interface", "public").put("region", REGION).put("region_id", REGION)
                .put("url", "http://127.0.0.1:1/v3");
        ArrayNode endpoints = catalog.addObject().put("type", "object-store").put("name", "swift")
                .putArray("endpoints");
        endpoints.addObject().put("interface", "public").put("region", "Elsewhere").put("region_id", "Elsewhere")
                .put("url", "http://127.0.0.1:1/v1/AUTH_decoy");
        endpoints.addObject().put("interface", "admin").put("region", REGION).put("region_id", REGION)
                .put("url", "http://127.0.0.1:1/admin");
        endpoints.addObject().put("interface", "public").put("region", REGION).put("region_id", REGION)
                .put("url", real.storageUrl().toString());
        endpoints.addObject().put("interface", "internal").put("region", REGION).put("region_id", REGION)
                .put("url", real.storageUrl().toString());
        return root;
    }

    private static void send(HttpExchange e, int status, JsonNode body) throws IOException {
        byte[] bytes = body == null ? new byte[0] : JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        e.getResponseHeaders().add("Content-Type", "application/json");
        e.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            e.getResponseBody().write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
