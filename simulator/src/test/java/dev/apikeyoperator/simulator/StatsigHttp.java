package dev.apikeyoperator.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Test client for the Statsig simulator (reuses {@link SimHttp}'s transport). */
final class StatsigHttp {

  final StatsigSimulator sim;
  private final SimHttp http = new SimHttp(null);

  StatsigHttp(StatsigSimulator sim) {
    this.sim = sim;
  }

  /** API call with the seeded console key and the API version header. */
  HttpResponse<String> api(String method, String path, Object body) throws IOException {
    return apiAs(sim.consoleKey(), method, path, body);
  }

  HttpResponse<String> apiAs(String key, String method, String path, Object body) throws IOException {
    return raw(method, path, body, "STATSIG-API-KEY", key, "STATSIG-API-VERSION", "20240601");
  }

  /** API call with exactly these headers. */
  HttpResponse<String> raw(String method, String path, Object body, String... headers) throws IOException {
    return http.send(method, sim.baseUrl() + path, body == null ? null : SimHttp.toJson(body), headers);
  }

  HttpResponse<String> control(String method, String path, Object body) throws IOException {
    return http.send(method, sim.controlUrl() + path, body == null ? null : SimHttp.toJson(body));
  }

  static Map<String, Object> body(String type, String description, Object... more) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", type);
    m.put("description", description);
    for (int i = 0; i < more.length; i += 2) {
      m.put((String) more[i], more[i + 1]);
    }
    return m;
  }

  /** Creates a key and returns its data node (asserting 201 loosely by throwing otherwise). */
  JsonNode create(String type, String description, Object... more) throws IOException {
    HttpResponse<String> r = api("POST", "/keys", body(type, description, more));
    if (r.statusCode() != 201) {
      throw new IllegalStateException("create failed: " + r.statusCode() + " " + r.body());
    }
    return SimHttp.json(r).path("data");
  }

  /**
   * The entries of {@code GET /keys} (the whole query after {@code /keys}) that carry a key: the keys created through
   * the API, without the seeded SCIM/ORG entries whose {@code key} is null.
   */
  List<JsonNode> listedWithKey(String query) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    SimHttp.json(api("GET", "/keys" + query, null)).path("data").forEach(d -> {
      if (!d.path("key").isNull()) {
        out.add(d);
      }
    });
    return out;
  }

  static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
