package dev.apikeyoperator.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LoadState;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.BaseLib;
import org.luaj.vm2.lib.PackageLib;
import org.luaj.vm2.lib.StringLib;
import org.luaj.vm2.lib.TableLib;
import org.luaj.vm2.lib.jse.JseMathLib;

/**
 * Runs docs/guides/argocd/apikey-health.lua the way Argo CD does: the live object as the global {@code obj}, the script's
 * result a table with {@code status} and {@code message}. Only the libraries Argo CD's sandbox offers are loaded.
 */
class ArgoCdHealthCheckTest {
  static final Path SCRIPT = Path.of("..", "docs", "guides", "argocd", "apikey-health.lua").toAbsolutePath().normalize();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static String script;

  record Health(String status, String message) {
  }

  @BeforeAll
  static void load() throws IOException {
    script = Files.readString(SCRIPT);
  }

  @Test
  void readyAndUpToDateIsHealthy() {
    Health health = check(apiKey(3, 3, "True", "KeyReady", "Key shop-checkout-7kq2ab is in Secret checkout."));

    assertThat(health).isEqualTo(new Health("Healthy", "Key shop-checkout-7kq2ab is in Secret checkout."));
  }

  @Test
  void readyButObservedGenerationBehindIsProgressing() {
    Health health = check(apiKey(4, 3, "True", "KeyReady", "Key shop-checkout-7kq2ab is in Secret checkout."));

    assertThat(health.status()).isEqualTo("Progressing");
    assertThat(health.message()).isEqualTo("Waiting for the operator to process generation 4");
  }

  @Test
  void noObservedGenerationIsProgressing() {
    assertThat(check(apiKey(1, null, "True", "KeyReady", "ready")).status()).isEqualTo("Progressing");
  }

  @Test
  void rotatingIsProgressing() {
    Health health = check(apiKey(2, 2, "True", "Rotating", "Replaced key revoked after 2026-11-23T11:00:00Z."));

    assertThat(health).isEqualTo(new Health("Progressing", "Replaced key revoked after 2026-11-23T11:00:00Z."));
  }

  @Test
  void provisioningIsProgressing() {
    assertThat(check(apiKey(1, 1, "False", "Provisioning", "Creating the key.")).status()).isEqualTo("Progressing");
  }

  @Test
  void noStatusYetIsProgressing() {
    Health health = check(Map.of("apiVersion", "apikeyoperator.dev/v1alpha1", "kind", "ApiKey",
        "metadata", Map.of("name", "checkout", "namespace", "shop", "generation", 1),
        "spec", Map.of("providerRef", Map.of("name", "fme"))));

    assertThat(health.status()).isEqualTo("Progressing");
    assertThat(health.message()).isNotBlank();
  }

  @Test
  void statusWithoutReadyConditionIsProgressing() {
    Map<String, Object> apiKey = Map.of("apiVersion", "apikeyoperator.dev/v1alpha1", "kind", "ApiKey",
        "metadata", Map.of("name", "checkout", "namespace", "shop", "generation", 1),
        "status", Map.of("observedGeneration", 1, "conditions", List.of()));

    assertThat(check(apiKey).status()).isEqualTo("Progressing");
  }

  @Test
  void invalidSpecIsDegradedWithTheConditionMessage() {
    Health health = check(apiKey(1, 1, "False", "InvalidSpec",
        "spec.fme.roles must not be empty for an admin key; list the roles the key needs."));

    assertThat(health.status()).isEqualTo("Degraded");
    assertThat(health.message()).contains("InvalidSpec")
        .contains("spec.fme.roles must not be empty for an admin key; list the roles the key needs.");
  }

  @Test
  void creationIndeterminateIsDegraded() {
    Health health = check(apiKey(2, 2, "False", "CreationIndeterminate",
        "Key shop-checkout-x1y2z3 may exist at the vendor; check and annotate."));

    assertThat(health.status()).isEqualTo("Degraded");
    assertThat(health.message()).contains("CreationIndeterminate").contains("shop-checkout-x1y2z3");
  }

  @Test
  void unknownReadyWithAnotherReasonIsDegraded() {
    Health health = check(apiKey(1, 1, "Unknown", "VendorError", "The vendor answered 503."));

    assertThat(health.status()).isEqualTo("Degraded");
  }

  @Test
  void parsedYamlApiKeyIsHealthy() throws IOException {
    @SuppressWarnings("unchecked")
    Map<String, Object> apiKey = YAML.readValue("""
        apiVersion: apikeyoperator.dev/v1alpha1
        kind: ApiKey
        metadata: {name: checkout, namespace: shop, generation: 3, finalizers: [apikeyoperator.dev/revoke]}
        spec:
          providerRef: {kind: ClusterApiKeyProvider, name: fme-production}
          fme: {type: server_side, project: {name: Shop}, environments: [{name: Production}]}
        status:
          observedGeneration: 3
          conditions:
            - {type: Ready, status: "True", reason: KeyReady, message: ok, observedGeneration: 3}
          key: {name: shop-checkout-7kq2ab, fingerprint: "sha256:0f3a0f3a0f3a0f3a"}
          secretName: checkout
        """, Map.class);

    assertThat(check(apiKey)).isEqualTo(new Health("Healthy", "ok"));
  }

  @Test
  void readyAndSyncedIsHealthy() {
    Health health = check(apiKey(3, ready("True", "KeyReady", "Key shop-checkout-7kq2ab is in Secret checkout.", 3),
        synced("True", "KeyReady", "Generation 3 of the spec is applied at the vendor and in Secret checkout", 3)));

    assertThat(health).isEqualTo(new Health("Healthy", "Key shop-checkout-7kq2ab is in Secret checkout."));
  }

  @Test
  void refusedChangeOnALiveKeyIsHealthyAndSaysWhatWasRefused() {
    Health health = check(apiKey(4, ready("True", "KeyReady", "Key shop-checkout-7kq2ab in Secret checkout keeps "
        + "working", 4), synced("False", "PolicyDenied", "type admin is not in the provider's allowedTypes", 4)));

    assertThat(health.status()).isEqualTo("Healthy");
    assertThat(health.message()).contains("not applied")
        .contains("PolicyDenied: type admin is not in the provider's allowedTypes");
  }

  @Test
  void refusedChangeOnALiveKeyIsDegradedWhenTheScriptIsSetSo() {
    String strict = script.replace("local refusedChangeIsDegraded = false", "local refusedChangeIsDegraded = true");
    assertThat(strict).isNotEqualTo(script);

    Health health = check(strict, apiKey(4, ready("True", "KeyReady", "keeps working", 4),
        synced("False", "VendorError", "The vendor answered 503.", 4)));

    assertThat(health.status()).isEqualTo("Degraded");
    assertThat(health.message()).contains("VendorError: The vendor answered 503.");
  }

  @Test
  void noKeyAndNotSyncedIsDegradedWithTheReason() {
    Health health = check(apiKey(1, ready("False", "ProviderNotFound", "ClusterApiKeyProvider fme not found", 1),
        synced("False", "ProviderNotFound", "ClusterApiKeyProvider fme not found", 1)));

    assertThat(health).isEqualTo(new Health("Degraded", "ProviderNotFound: ClusterApiKeyProvider fme not found"));
  }

  @Test
  void provisioningWithBothConditionsIsProgressing() {
    Health health = check(apiKey(1, ready("False", "Provisioning", "Creating the key.", 1),
        synced("False", "Provisioning", "Creating the key.", 1)));

    assertThat(health.status()).isEqualTo("Progressing");
  }

  @Test
  void syncedConditionBehindTheGenerationIsProgressing() {
    Health health = check(apiKey(5, ready("True", "KeyReady", "ok", 5), synced("True", "KeyReady", "applied", 4)));

    assertThat(health).isEqualTo(new Health("Progressing", "Waiting for the operator to process generation 5"));
  }

  static Map<String, Object> ready(String status, String reason, String message, int observedGeneration) {
    return condition("Ready", status, reason, message, observedGeneration);
  }

  static Map<String, Object> synced(String status, String reason, String message, int observedGeneration) {
    return condition("Synced", status, reason, message, observedGeneration);
  }

  static Map<String, Object> condition(String type, String status, String reason, String message,
      int observedGeneration) {
    return Map.of("type", type, "status", status, "reason", reason, "message", message,
        "observedGeneration", observedGeneration, "lastTransitionTime", "2026-11-23T10:00:00Z");
  }

  /** An ApiKey whose status.observedGeneration is the highest of its conditions'. */
  @SafeVarargs
  static Map<String, Object> apiKey(long generation, Map<String, Object>... conditions) {
    int observed = java.util.Arrays.stream(conditions).mapToInt(c -> (Integer) c.get("observedGeneration")).max()
        .orElse(0);
    return Map.of("apiVersion", "apikeyoperator.dev/v1alpha1", "kind", "ApiKey",
        "metadata", Map.of("name", "checkout", "namespace", "shop", "generation", generation),
        "spec", Map.of("providerRef", Map.of("name", "fme")),
        "status", Map.of("observedGeneration", observed, "conditions", List.of(conditions)));
  }

  static Map<String, Object> apiKey(long generation, Integer observedGeneration, String readyStatus, String reason,
      String message) {
    Map<String, Object> status = new java.util.HashMap<>();
    if (observedGeneration != null) {
      status.put("observedGeneration", observedGeneration);
    }
    status.put("conditions", List.of(
        Map.of("type", "Ready", "status", readyStatus, "reason", reason, "message", message,
            "lastTransitionTime", "2026-11-23T10:00:00Z")));
    return Map.of("apiVersion", "apikeyoperator.dev/v1alpha1", "kind", "ApiKey",
        "metadata", Map.of("name", "checkout", "namespace", "shop", "generation", generation),
        "spec", Map.of("providerRef", Map.of("name", "fme")),
        "status", status);
  }

  static Health check(Map<String, Object> object) {
    return check(script, object);
  }

  static Health check(String lua, Map<String, Object> object) {
    Globals globals = new Globals();
    globals.load(new BaseLib());
    globals.load(new PackageLib());
    globals.load(new TableLib());
    globals.load(new StringLib());
    globals.load(new JseMathLib());
    LoadState.install(globals);
    LuaC.install(globals);
    globals.set("obj", toLua(object));
    LuaValue result = globals.load(lua, "apikey-health.lua").call();
    assertThat(result.istable()).as("the script returns a table").isTrue();
    assertThat(result.get("status").isstring()).as("status is a string").isTrue();
    LuaValue message = result.get("message");
    return new Health(result.get("status").tojstring(), message.isnil() ? null : message.tojstring());
  }

  /** JSON-like Java values to Lua values, as Argo CD converts the live object (numbers are floats). */
  static LuaValue toLua(Object value) {
    if (value == null) {
      return LuaValue.NIL;
    }
    if (value instanceof Map<?, ?> map) {
      LuaTable table = new LuaTable();
      map.forEach((k, v) -> table.set(String.valueOf(k), toLua(v)));
      return table;
    }
    if (value instanceof List<?> list) {
      LuaTable table = new LuaTable();
      for (int i = 0; i < list.size(); i++) {
        table.set(i + 1, toLua(list.get(i)));
      }
      return table;
    }
    if (value instanceof String s) {
      return LuaValue.valueOf(s);
    }
    if (value instanceof Boolean b) {
      return LuaValue.valueOf(b);
    }
    if (value instanceof Number n) {
      return LuaValue.valueOf(n.doubleValue());
    }
    throw new IllegalArgumentException("not JSON-like: " + value.getClass());
  }
}
