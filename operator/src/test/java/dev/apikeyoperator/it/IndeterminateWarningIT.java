package dev.apikeyoperator.it;

import static dev.apikeyoperator.it.OperatorHarness.serverSideKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.api.v1alpha1.StatusCondition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Guarantee 1 across a kill -9: every key named in a {@code CreationIndeterminate} condition has a Warning event
 * naming it, whatever the process was doing when it died. Each test stops the operator, puts the cluster in the
 * exact state a kill at one point leaves (written by hand, so the moment is pinned, not left to timing), and starts
 * a new operator on it.
 */
class IndeterminateWarningIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  static final OperatorHarness h = new OperatorHarness();

  /**
   * The kill -9 proof's failure (seed 8766548624869840491): key 1 was indeterminate and acknowledged; the process
   * then wrote the intent to create key 2 and died before the vendor's answer, so the status still says
   * CreationIndeterminate for key 1. The next process must warn about key 2, although the status already shows
   * the reason.
   */
  @Test
  void killAfterTheSecondIntentStillWarnsAboutTheNewKey() {
    String ns = h.namespaceWithProvider();
    String first = indeterminateKey(ns, "twice");
    h.stopOperator();
    try {
      String second = ns + "-twice-second";
      annotate(ns, "twice", "apikeyoperator.dev/acknowledge-indeterminate", first);
      editLedger(ns, "twice", doc -> doc.putObject("pending").put("name", second)
          .put("startedAt", Instant.now().toString()));
      assertThat(h.ready(ns, "twice")).get().extracting(StatusCondition::getReason)
          .isEqualTo("CreationIndeterminate");
    } finally {
      h.startOperator();
    }
    String second = ns + "-twice-second";
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(h.ready(ns, "twice")).get().extracting(StatusCondition::getMessage).asString().contains(second);
      assertThat(warningsNaming(ns, "twice", second)).hasSize(1);
    });
    assertThat(warningsNaming(ns, "twice", first)).hasSize(1);
  }

  /** A kill after the Warning event was written but before it was marked in the ledger: it is written again. */
  @Test
  void killBetweenTheEventAndItsMarkWarnsAgain() {
    String ns = h.namespaceWithProvider();
    String lost = indeterminateKey(ns, "unmarked");
    await().atMost(Duration.ofSeconds(10)).until(() -> pending(ns, "unmarked").path("warned").asBoolean());
    h.stopOperator();
    try {
      editLedger(ns, "unmarked", doc -> ((ObjectNode) doc.get("pending")).put("warned", false));
    } finally {
      h.startOperator();
    }
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(warningsNaming(ns, "unmarked", lost)).hasSize(2));
    await().atMost(Duration.ofSeconds(10)).until(() -> pending(ns, "unmarked").path("warned").asBoolean());
  }

  /** Once the event is marked, a restart does not repeat it. */
  @Test
  void restartAfterTheMarkDoesNotWarnAgain() {
    String ns = h.namespaceWithProvider();
    String lost = indeterminateKey(ns, "marked");
    await().atMost(Duration.ofSeconds(10)).until(() -> pending(ns, "marked").path("warned").asBoolean());
    h.stopOperator();
    h.startOperator();
    annotate(ns, "marked", "nudge", "1"); // a reconcile by the new process
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(h.ready(ns, "marked")).get().extracting(StatusCondition::getReason)
          .isEqualTo("CreationIndeterminate");
      assertThat(warningsNaming(ns, "marked", lost)).hasSize(1);
    });
    assertThat(h.allKeys(ns + "-marked-")).hasSize(1);
  }

  /** Creates ApiKey {@code name} with its create answer dropped; returns the indeterminate key's name. */
  private static String indeterminateKey(String ns, String name) {
    h.simulator.faults().setDropCreateResponses(1);
    h.create(serverSideKey(ns, name));
    h.awaitReason(ns, name, "CreationIndeterminate");
    String lost = h.allKeys(ns + "-" + name + "-").get(0).name();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(warningsNaming(ns, name, lost)).hasSize(1));
    return lost;
  }

  private static List<Event> warningsNaming(String ns, String apiKey, String keyName) {
    return h.client.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> apiKey.equals(e.getInvolvedObject().getName()) && "Warning".equals(e.getType())
            && "CreationIndeterminate".equals(e.getReason()) && e.getMessage().contains(keyName))
        .toList();
  }

  private static void annotate(String ns, String name, String annotation, String value) {
    ApiKey k = h.get(ns, name);
    k.getMetadata().getAnnotations().put(annotation, value);
    h.client.resource(k).update();
  }

  private static ObjectNode ledger(String ns, String name) throws Exception {
    Secret s = h.secret(ns, name + "-apikey-ledger");
    return (ObjectNode) JSON.readTree(Base64.getDecoder().decode(s.getData().get("ledger.json")));
  }

  private static com.fasterxml.jackson.databind.JsonNode pending(String ns, String name) throws Exception {
    return ledger(ns, name).path("pending");
  }

  /** The ledger as a killed process left it (sealed: the operator wrote it). */
  private static void editLedger(String ns, String name, Consumer<ObjectNode> change) {
    try {
      Secret s = h.secret(ns, name + "-apikey-ledger");
      ObjectNode doc = ledger(ns, name);
      change.accept(doc);
      s.getData().put("ledger.json", Base64.getEncoder().encodeToString(
          JSON.writeValueAsString(doc).getBytes(StandardCharsets.UTF_8)));
      h.client.resource(s).update();
      h.sealLedger(ns, name); // what the killed process itself had written
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
