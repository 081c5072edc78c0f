package dev.apikeyoperator.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Test client for the simulator, built on java.net.http.HttpClient (HTTP/1.1). */
final class SimHttp {

  static final ObjectMapper JSON = new ObjectMapper();

  final FmeSimulator sim;
  final HttpClient client = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .build();

  SimHttp(FmeSimulator sim) {
    this.sim = sim;
  }

  HttpResponse<String> send(String method, String url, String body, String... headers) throws IOException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
    if (headers.length > 0) {
      b.headers(headers);
    }
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    try {
      return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  /** API call with the admin token as Bearer. */
  HttpResponse<String> api(String method, String path, Object body) throws IOException {
    return apiAs(sim.adminToken(), method, path, body);
  }

  HttpResponse<String> apiAs(String token, String method, String path, Object body) throws IOException {
    return send(method, sim.baseUrl() + path, body == null ? null : toJson(body), "Authorization", "Bearer " + token);
  }

  HttpResponse<String> control(String method, String path, Object body) throws IOException {
    return send(method, "http://127.0.0.1:" + sim.port() + "/__simulator" + path, body == null ? null : toJson(body));
  }

  static String toJson(Object body) {
    if (body instanceof String s) {
      return s;
    }
    try {
      return JSON.writeValueAsString(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode json(HttpResponse<String> r) {
    try {
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + r.body(), e);
    }
  }

  // ------------------------------------------------------------ body builders

  static Map<String, Object> ws(String id) {
    return Map.of("type", "workspace", "id", id);
  }

  static Map<String, Object> env(String id) {
    return Map.of("type", "environment", "id", id);
  }

  /** A create body; workspaceId may be null (JSON null). */
  static Map<String, Object> createBody(String name, String type, String workspaceId, List<String> envIds,
                                        List<String> roles) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("apiKeyType", type);
    m.put("workspace", workspaceId == null ? null : ws(workspaceId));
    m.put("environments", envIds.stream().map(SimHttp::env).toList());
    m.put("roles", roles);
    return m;
  }

  Map<String, Object> serverSide(String name, String project, String envName) {
    return createBody(name, "server_side", sim.projectId(project), List.of(sim.environmentId(project, envName)),
        List.of());
  }

  static Map<String, Object> globalAdmin(String name, List<String> roles) {
    return createBody(name, "admin", null, List.of(), roles);
  }
}
