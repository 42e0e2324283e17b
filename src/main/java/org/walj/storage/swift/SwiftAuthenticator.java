package org.walj.storage.swift;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.walj.storage.EndpointText;
import org.walj.storage.StorageUnavailableException;

/**
 * Gets a token and the storage URL, the three ways python-swiftclient does for WAL-E: tempauth (v1: GET the auth URL
 * with X-Auth-User and X-Auth-Key; the answer's X-Storage-Url and X-Auth-Token), keystone v2.0 (POST
 * {@code /tokens}; the token id and the object-store endpoint of the service catalog) and keystone v3 (POST
 * {@code /auth/tokens}; the X-Subject-Token header and the catalog's object-store endpoint). The catalog endpoint is
 * the one of SWIFT_REGION (any region when unset) and SWIFT_ENDPOINT_TYPE.
 */
final class SwiftAuthenticator {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SwiftAuthenticator() {
    }

    static SwiftSession authenticate(HttpClient http, SwiftCredentials c, Duration timeout) throws IOException {
        return switch (c.authVersion()) {
            case 1 -> tempAuth(http, c, timeout);
            case 2 -> keystoneV2(http, c, timeout);
            default -> keystoneV3(http, c, timeout);
        };
    }

    private static String server(SwiftCredentials c) {
        return (c.authVersion() == 1 ? "tempauth" : "keystone") + " at " + EndpointText.redacted(c.authUrl().toString());
    }

    private static HttpResponse<byte[]> send(HttpClient http, SwiftCredentials c, HttpRequest request)
            throws IOException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted during authentication");
        } catch (IOException e) {
            throw SwiftFailures.network(server(c), "authentication", e);
        }
    }

    /** 401 or 403 to a token request: the credentials are wrong, which no retry will fix. */
    private static void checkStatus(SwiftCredentials c, int status) throws IOException {
        if (status == 401 || status == 403) {
            throw new StorageUnavailableException(server(c) + " rejected the credentials of user " + c.who()
                    + " (HTTP " + status + ")");
        }
        if (status < 200 || status > 299) {
            throw SwiftFailures.status(server(c), "authentication of user " + c.who(), status);
        }
    }

    private static SwiftSession tempAuth(HttpClient http, SwiftCredentials c, Duration timeout) throws IOException {
        HttpResponse<byte[]> r = send(http, c, HttpRequest.newBuilder(c.authUrl()).timeout(timeout).GET()
                .header("X-Auth-User", c.user() == null ? "" : c.user()).header("X-Auth-Key", c.password()).build());
        checkStatus(c, r.statusCode());
        Optional<String> url = r.headers().firstValue("X-Storage-Url");
        Optional<String> token = r.headers().firstValue("X-Auth-Token").or(() -> r.headers().firstValue(
                "X-Storage-Token"));
        if (url.isEmpty() || token.isEmpty()) {
            throw new StorageUnavailableException(server(c) + " answered without X-Storage-Url or X-Auth-Token");
        }
        return new SwiftSession(storageUrl(c, url.get()), token.get());
    }

    private static SwiftSession keystoneV2(HttpClient http, SwiftCredentials c, Duration timeout) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode auth = body.putObject("auth");
        ObjectNode password = auth.putObject("passwordCredentials");
        password.put("username", c.user() == null ? c.userId() : c.user());
        password.put("password", c.password());
        if (c.tenantId() != null) {
            auth.put("tenantId", c.tenantId());
        } else if (c.tenantName() != null) {
            auth.put("tenantName", c.tenantName());
        }
        HttpResponse<byte[]> r = send(http, c, post(append(c.authUrl(), "/tokens"), body, timeout));
        checkStatus(c, r.statusCode());
        JsonNode access = parse(c, r.body()).path("access");
        String token = access.path("token").path("id").asText(null);
        if (token == null) {
            throw new StorageUnavailableException(server(c) + " answered a token request without a token id");
        }
        for (JsonNode service : access.path("serviceCatalog")) {
            if (!"object-store".equals(service.path("type").asText())) {
                continue;
            }
            for (JsonNode endpoint : service.path("endpoints")) {
                String url = endpoint.path(c.endpointType()).asText(null);
                if (url != null && regionMatches(c, endpoint.path("region").asText(null), null)) {
                    return new SwiftSession(storageUrl(c, url), token);
                }
            }
        }
        throw noEndpoint(c);
    }

    private static SwiftSession keystoneV3(HttpClient http, SwiftCredentials c, Duration timeout) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode auth = body.putObject("auth");
        ObjectNode identity = auth.putObject("identity");
        identity.putArray("methods").add("password");
        ObjectNode user = identity.putObject("password").putObject("user");
        if (c.userId() != null) {
            user.put("id", c.userId());
        } else {
            user.put("name", c.user());
            putDomain(user, c.userDomainId(), c.userDomainName());
        }
        user.put("password", c.password());
        if (c.v3ProjectId() != null) {
            auth.putObject("scope").putObject("project").put("id", c.v3ProjectId());
        } else if (c.v3ProjectName() != null) {
            ObjectNode project = auth.putObject("scope").putObject("project").put("name", c.v3ProjectName());
            putDomain(project, c.projectDomainId(), c.projectDomainName());
        } else if (c.domainId() != null || c.domainName() != null) {
            putDomain(auth.putObject("scope"), c.domainId(), c.domainName());
        }
        HttpResponse<byte[]> r = send(http, c, post(append(c.authUrl(), "/auth/tokens"), body, timeout));
        checkStatus(c, r.statusCode());
        Optional<String> token = r.headers().firstValue("X-Subject-Token");
        if (token.isEmpty()) {
            throw new StorageUnavailableException(server(c) + " answered a token request without X-Subject-Token");
        }
        String wanted = v3Interface(c.endpointType());
        for (JsonNode service : parse(c, r.body()).path("token").path("catalog")) {
            if (!"object-store".equals(service.path("type").asText())) {
                continue;
            }
            for (JsonNode endpoint : service.path("endpoints")) {
                String url = endpoint.path("url").asText(null);
                if (url != null && wanted.equals(endpoint.path("interface").asText())
                        && regionMatches(c, endpoint.path("region_id").asText(null),
                                endpoint.path("region").asText(null))) {
                    return new SwiftSession(storageUrl(c, url), token.get());
                }
            }
        }
        throw noEndpoint(c);
    }

    private static void putDomain(ObjectNode owner, String id, String name) {
        if (id != null) {
            owner.putObject("domain").put("id", id);
        } else if (name != null) {
            owner.putObject("domain").put("name", name);
        }
    }

    /** publicURL → public, as keystone v3 names the interfaces; a v3 name is taken as it is. */
    static String v3Interface(String endpointType) {
        return endpointType.endsWith("URL") ? endpointType.substring(0, endpointType.length() - 3) : endpointType;
    }

    private static boolean regionMatches(SwiftCredentials c, String region, String alternative) {
        return c.region() == null || c.region().equals(region) || c.region().equals(alternative);
    }

    private static StorageUnavailableException noEndpoint(SwiftCredentials c) {
        return new StorageUnavailableException(server(c) + " gave user " + c.who()
                + " a token whose service catalog has no object-store endpoint of type " + c.endpointType()
                + (c.region() == null ? "" : " in region " + c.region()));
    }

    private static URI append(URI base, String suffix) {
        String s = base.toString();
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return URI.create(s.endsWith(suffix) ? s : s + suffix);
    }

    private static HttpRequest post(URI uri, ObjectNode body, Duration timeout) throws IOException {
        return HttpRequest.newBuilder(uri).timeout(timeout).header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build();
    }

    private static JsonNode parse(SwiftCredentials c, byte[] body) throws IOException {
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new StorageUnavailableException(server(c) + " answered a token request with a body that is not "
                    + "JSON", null);
        }
    }

    private static URI storageUrl(SwiftCredentials c, String url) throws IOException {
        try {
            URI u = URI.create(url.trim());
            if (("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null) {
                return u;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new StorageUnavailableException(server(c) + " named a storage URL that is not an http(s) URL: "
                + EndpointText.redacted(url));
    }
}
