package dev.apikeyoperator.simulator;

import static dev.apikeyoperator.simulator.SimHttp.json;
import static dev.apikeyoperator.simulator.StatsigHttp.body;
import static dev.apikeyoperator.simulator.StatsigHttp.texts;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StatsigKeysApiTest extends StatsigSimulatorTestBase {

  @ParameterizedTest
  @CsvSource({"SERVER,secret-", "CLIENT,client-", "CONSOLE,console-"})
  void createReturns201WithTheDocumentedShape(String type, String prefix) throws Exception {
    HttpResponse<String> r = http.api("POST", "/keys", body(type, "checkout " + type,
        "scopes", List.of("client_download_config_specs"), "environments", List.of("production", "staging"),
        "targetAppID", "checkout", "secondaryTargetAppIDs", List.of("web", "ios")));
    assertThat(r.statusCode()).isEqualTo(201);
    JsonNode b = json(r);
    assertThat(b.path("message").asText()).isEqualTo("Key created successfully");
    JsonNode d = b.path("data");
    assertThat(d.path("key").asText()).startsWith(prefix).matches(prefix + "[A-Za-z0-9]{40}");
    assertThat(d.path("type").asText()).isEqualTo(type);
    assertThat(d.path("description").asText()).isEqualTo("checkout " + type);
    assertThat(texts(d.path("scopes"))).containsExactly("client_download_config_specs");
    assertThat(texts(d.path("environments"))).containsExactly("production", "staging");
    assertThat(d.path("primaryTargetApp").asText()).isEqualTo("checkout");
    assertThat(texts(d.path("secondaryTargetApps"))).containsExactly("web", "ios");
    assertThat(d.path("status").asText()).isEqualTo("active");

    assertThat(sim.keys()).hasSize(1);
    StatsigSimKey k = sim.keys().get(0);
    assertThat(k.key()).isEqualTo(d.path("key").asText());
    assertThat(k.targetApp()).isEqualTo("checkout");
    assertThat(k.createdAt()).isNotNull();
    assertThat(k.toString()).doesNotContain(k.key()).contains("<redacted>");
    assertThat(sim.createCount()).isEqualTo(1);
    assertThat(sim.requestCounts()).containsEntry("POST /keys 201", 1);
  }

  @Test
  void createWithOnlyTheRequiredFieldsHasEmptyListsAndNoTargetApp() throws Exception {
    JsonNode d = http.create("SERVER", "minimal");
    assertThat(d.path("scopes")).isEmpty();
    assertThat(d.path("environments")).isEmpty();
    assertThat(d.path("primaryTargetApp").isNull()).isTrue();
    assertThat(d.path("secondaryTargetApps")).isEmpty();
  }

  @Test
  void invalidCreatesAre400AndCreateNothing() throws Exception {
    List<Object> bad = new ArrayList<>();
    bad.add(body("SCIM", "d"));
    bad.add(body("ORG", "d"));
    bad.add(body("server", "d"));
    bad.add(Map.of("description", "no type"));
    bad.add(Map.of("type", "SERVER"));
    bad.add(body("SERVER", "   "));
    bad.add(body("SERVER", "x".repeat(1001)));
    bad.add(Map.of("type", "SERVER", "description", 42));
    bad.add(body("CLIENT", "d", "scopes", List.of("can_access_keys")));
    bad.add(body("CLIENT", "d", "scopes", List.of("omni_read_only")));
    bad.add(body("SERVER", "d", "scopes", List.of("omni_read_write")));
    bad.add(body("SERVER", "d", "scopes", "omni_read_write"));
    bad.add(body("SERVER", "d", "environments", List.of(1)));
    bad.add(body("SERVER", "d", "targetAppID", List.of("a")));
    bad.add("[]");
    bad.add("{not json");
    for (Object b : bad) {
      HttpResponse<String> r = http.api("POST", "/keys", b);
      assertThat(r.statusCode()).as("body %s", b).isEqualTo(400);
      assertThat(json(r).path("status").asInt()).isEqualTo(400);
      assertThat(json(r).path("message").asText()).isNotBlank();
    }
    assertThat(http.api("POST", "/keys", null).statusCode()).as("no body").isEqualTo(400);
    assertThat(http.create("SERVER", "x".repeat(1000)).path("description").asText()).hasSize(1000);
    assertThat(http.create("CONSOLE", "c", "scopes", List.of("can_access_keys", "omni_read_only"))
        .path("scopes")).hasSize(2);
    assertThat(sim.keys()).hasSize(2);
  }

  @Test
  void getReadsAKeyAnd404sForUnknownOrDeleted() throws Exception {
    String key = http.create("SERVER", "read me").path("key").asText();
    HttpResponse<String> r = http.api("GET", "/keys/" + key, null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r).path("data").path("key").asText()).isEqualTo(key);
    assertThat(json(r).path("data").path("description").asText()).isEqualTo("read me");
    HttpResponse<String> unknown = http.api("GET", "/keys/secret-nope", null);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(json(unknown).path("status").asInt()).isEqualTo(404);
    assertThat(http.api("DELETE", "/keys/" + key, null).statusCode()).isEqualTo(200);
    assertThat(http.api("GET", "/keys/" + key, null).statusCode()).isEqualTo(404);
    assertThat(sim.requestCounts()).containsEntry("GET /keys/{id} 200", 1).containsEntry("GET /keys/{id} 404", 2);
  }

  @Test
  void patchUpdatesFieldsInPlaceAndRefusesATypeChange() throws Exception {
    sim.rules().setUpdateAnswersFullKey(true); // this test reads the updated fields from the answer
    String key = http.create("SERVER", "before", "environments", List.of("staging"), "targetAppID", "a").path("key")
        .asText();
    HttpResponse<String> r = http.api("PATCH", "/keys/" + key, Map.of("description", "after",
        "environments", List.of("production"), "secondaryTargetAppIDs", List.of("b"), "type", "SERVER"));
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode d = json(r).path("data");
    assertThat(d.path("key").asText()).as("same key").isEqualTo(key);
    assertThat(d.path("description").asText()).isEqualTo("after");
    assertThat(texts(d.path("environments"))).containsExactly("production");
    assertThat(d.path("primaryTargetApp").asText()).as("untouched").isEqualTo("a");
    assertThat(texts(d.path("secondaryTargetApps"))).containsExactly("b");

    String nullTarget = "{\"targetAppID\":null}";
    assertThat(json(http.api("PATCH", "/keys/" + key, nullTarget)).path("data").path("primaryTargetApp").isNull())
        .as("null clears the target app").isTrue();

    HttpResponse<String> type = http.api("PATCH", "/keys/" + key, Map.of("type", "CLIENT", "description", "x"));
    assertThat(type.statusCode()).isEqualTo(400);
    assertThat(json(type).path("message").asText()).isEqualTo("type cannot be changed");
    assertThat(http.api("PATCH", "/keys/" + key, Map.of("scopes", List.of("can_access_keys"))).statusCode())
        .isEqualTo(400);
    assertThat(http.api("PATCH", "/keys/" + key, Map.of("description", "")).statusCode()).isEqualTo(400);
    assertThat(http.api("PATCH", "/keys/" + key, "[]").statusCode()).isEqualTo(400);
    assertThat(sim.keys().get(0).description()).as("failed patches change nothing").isEqualTo("after");
    assertThat(http.api("PATCH", "/keys/secret-unknown", Map.of("description", "x")).statusCode()).isEqualTo(404);
  }

  @Test
  void deactivatedKeysAreListedReadableAndStillPatchable() throws Exception {
    String key = http.create("CLIENT", "soon inactive").path("key").asText();
    HttpResponse<String> r = http.api("PATCH", "/keys/" + key + "/deactivate", null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r).path("data").path("status").asText()).isEqualTo("deactivated");
    assertThat(json(http.api("GET", "/keys/" + key, null)).path("data").path("status").asText())
        .isEqualTo("deactivated");
    assertThat(http.listedWithKey("").get(0).path("status").asText()).isEqualTo("deactivated");
    assertThat(http.api("PATCH", "/keys/" + key + "/deactivate", null).statusCode()).as("idempotent")
        .isEqualTo(200);
    HttpResponse<String> patch = http.api("PATCH", "/keys/" + key, Map.of("description", "renamed"));
    assertThat(patch.statusCode()).isEqualTo(200);
    assertThat(json(http.api("GET", "/keys/" + key, null)).path("data").path("status").asText())
        .as("a patch keeps the status").isEqualTo("deactivated");
    assertThat(sim.activeKeys()).isEmpty();
    assertThat(http.api("PATCH", "/keys/client-unknown/deactivate", null).statusCode()).isEqualTo(404);
    HttpResponse<String> rotated = http.api("PATCH", "/keys/" + key + "/rotate", null);
    assertThat(rotated.statusCode()).isEqualTo(200);
    assertThat(json(rotated).path("data").path("status").asText()).as("rotation keeps the status")
        .isEqualTo("deactivated");
    assertThat(json(rotated).path("data").path("description").asText()).isEqualTo("renamed");
  }

  @Test
  void rotateReturnsANewKeyAndInvalidatesTheOldOneImmediately() throws Exception {
    String old = http.create("SERVER", "rotate me", "environments", List.of("production"), "targetAppID", "app")
        .path("key").asText();
    HttpResponse<String> r = http.api("PATCH", "/keys/" + old + "/rotate", null);
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode d = json(r).path("data");
    String fresh = d.path("key").asText();
    assertThat(fresh).startsWith("secret-").isNotEqualTo(old);
    assertThat(d.path("description").asText()).isEqualTo("rotate me");
    assertThat(texts(d.path("environments"))).containsExactly("production");
    assertThat(d.path("primaryTargetApp").asText()).isEqualTo("app");
    assertThat(d.path("status").asText()).isEqualTo("active");

    assertThat(http.api("GET", "/keys/" + old, null).statusCode()).isEqualTo(404);
    assertThat(http.api("GET", "/keys/" + fresh, null).statusCode()).isEqualTo(200);
    assertThat(http.api("PATCH", "/keys/" + old + "/rotate", null).statusCode()).isEqualTo(404);
    assertThat(http.api("DELETE", "/keys/" + old, null).statusCode()).isEqualTo(404);
    assertThat(sim.keys()).extracting(StatsigSimKey::status).containsExactly("deleted", "active");
    assertThat(sim.activeKeys()).extracting(StatsigSimKey::key).containsExactly(fresh);
    assertThat(sim.createCount()).as("rotations are not creates").isEqualTo(1);
    List<JsonNode> list = http.listedWithKey("");
    assertThat(list).hasSize(1);
    assertThat(list.get(0).path("key").asText()).isEqualTo(fresh);
  }

  @Test
  void rotatedConsoleKeyStopsAuthenticating() throws Exception {
    String old = http.create("CONSOLE", "ci", "scopes", List.of("can_access_keys")).path("key").asText();
    assertThat(http.apiAs(old, "GET", "/keys", null).statusCode()).isEqualTo(200);
    String fresh = json(http.apiAs(old, "PATCH", "/keys/" + old + "/rotate", null)).path("data").path("key")
        .asText();
    assertThat(http.apiAs(old, "GET", "/keys", null).statusCode()).isEqualTo(401);
    assertThat(http.apiAs(fresh, "GET", "/keys", null).statusCode()).isEqualTo(200);
  }

  @Test
  void deleteIs200Then404() throws Exception {
    String key = http.create("SERVER", "bye").path("key").asText();
    HttpResponse<String> r = http.api("DELETE", "/keys/" + key, null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r).path("message").asText()).isNotBlank();
    assertThat(http.api("DELETE", "/keys/" + key, null).statusCode()).isEqualTo(404);
    assertThat(http.api("DELETE", "/keys/secret-never", null).statusCode()).isEqualTo(404);
    assertThat(http.listedWithKey("")).isEmpty();
    assertThat(sim.keys()).extracting(StatsigSimKey::status).containsExactly("deleted");
    assertThat(sim.requestCounts()).containsEntry("DELETE /keys/{id} 200", 1).containsEntry("DELETE /keys/{id} 404", 2);
  }

  @Test
  void listPagesWithNextPageAndFilters() throws Exception {
    sim.rules().setOtherKeyTypesListed(false); // exact pages of the created keys only
    for (int i = 0; i < 5; i++) {
      http.create("SERVER", "k" + i, "environments", List.of(i % 2 == 0 ? "production" : "staging"),
          "targetAppID", i < 3 ? "web" : "ios");
    }
    HttpResponse<String> first = http.api("GET", "/keys?limit=2", null);
    assertThat(first.statusCode()).isEqualTo(200);
    JsonNode b = json(first);
    assertThat(b.path("message").asText()).isEqualTo("Keys listed successfully");
    assertThat(b.path("data")).hasSize(2);
    assertThat(b.path("data").get(0).path("description").asText()).isEqualTo("k0");
    JsonNode p = b.path("pagination");
    assertThat(p.path("itemsPerPage").asInt()).isEqualTo(2);
    assertThat(p.path("pageNumber").asInt()).isEqualTo(1);
    assertThat(p.path("totalItems").asInt()).isEqualTo(5);
    assertThat(p.path("nextPage").asText()).isEqualTo("/console/v1/keys?page=2&limit=2");
    assertThat(p.path("previousPage").isNull()).isTrue();

    // follow nextPage to the end
    List<String> seen = new ArrayList<>();
    String next = "/console/v1/keys?page=1&limit=2";
    int pages = 0;
    while (next != null) {
      JsonNode page = json(http.api("GET", next.substring("/console/v1".length()), null));
      page.path("data").forEach(d -> seen.add(d.path("description").asText()));
      JsonNode n = page.path("pagination").path("nextPage");
      next = n.isNull() ? null : n.asText();
      pages++;
    }
    assertThat(pages).isEqualTo(3);
    assertThat(seen).containsExactly("k0", "k1", "k2", "k3", "k4");

    JsonNode beyond = json(http.api("GET", "/keys?page=9&limit=2", null));
    assertThat(beyond.path("data")).isEmpty();
    assertThat(beyond.path("pagination").path("nextPage").isNull()).isTrue();

    JsonNode prod = json(http.api("GET", "/keys?environment=production&limit=2", null));
    assertThat(prod.path("pagination").path("totalItems").asInt()).isEqualTo(3);
    assertThat(prod.path("pagination").path("nextPage").asText())
        .isEqualTo("/console/v1/keys?page=2&limit=2&environment=production");
    JsonNode web = json(http.api("GET", "/keys?primaryTargetApp=web&environment=staging", null));
    assertThat(web.path("data")).hasSize(1);
    assertThat(web.path("data").get(0).path("description").asText()).isEqualTo("k1");
    assertThat(web.path("pagination").path("itemsPerPage").asInt()).as("default limit").isEqualTo(10);

    for (String bad : List.of("limit=0", "limit=101", "limit=x", "page=0", "page=-1")) {
      assertThat(http.api("GET", "/keys?" + bad, null).statusCode()).as(bad).isEqualTo(400);
    }
  }

  @Test
  void unknownRoutesAre404AndWrongMethods405() throws Exception {
    assertThat(http.api("GET", "/gates", null).statusCode()).isEqualTo(404);
    assertThat(http.api("PATCH", "/keys/a/b/c", null).statusCode()).isEqualTo(404);
    HttpResponse<String> r = http.api("PUT", "/keys", "{}");
    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(r.headers().firstValue("Allow")).hasValue("GET, POST");
    assertThat(http.api("GET", "/keys/x/rotate", null).statusCode()).isEqualTo(405);
    assertThat(http.api("POST", "/keys/x", "{}").statusCode()).isEqualTo(405);
  }
}
