package dev.apikeyoperator.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apikeyoperator.simulator.SimKey;
import dev.apikeyoperator.testkit.ApiKeyKinds;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

/**
 * Ready keys exactly as the operator writes them, for test beds the mock API server could not fill through HTTP:
 * the real operator provisions a seed key, its state is read back (the ApiKey with its finalizer and status, every
 * Secret it owns: the mounted Secret and the sealed ledger; the provider with its status), and cloned to N keys
 * with new names, uids and vendor keys (minted at the simulator, so the vendor holds them), the ledgers re-sealed
 * with the operator's own seal class and key, straight into the mock's store ({@code MockKubernetes.preload}).
 * The proof of fidelity is the steady state: an operator started on the clones makes no vendor call and no write.
 * What a real API server adds and the mock does not (the {@code kubectl apply} record, managedFields) is added
 * ({@link ServerRecords}), so that the heap per key is what a cluster's objects cost.
 */
final class ReadyKeyClones {
  static final String SEED_NS = "bench-seed-ns";
  static final String SEED_NAME = "k99999";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ResourceDefinitionContext SECRETS = ResourceDefinitionContext.fromResourceType(Secret.class);

  private final World world;
  private final OperatorClasses classes;
  private final OperatorClasses.Sealer sealer;
  private final String apiKey;
  private final List<String> secrets;
  private final String provider;
  private final String adminSecret;
  private final String uid;
  private final String secretName;
  private final SimKey vendorKey;
  private final String fingerprint;
  private final String ledgerSealData;
  private final String ledgerDocumentData;

  private ReadyKeyClones(World world, OperatorClasses classes, byte[] sealKey) {
    this.world = world;
    this.classes = classes;
    this.sealer = classes.sealer(sealKey);
    GenericKubernetesResource key = world.apiKeys().inNamespace(SEED_NS).withName(SEED_NAME).get();
    apiKey = ServerRecords.applied(Serialization.asJson(key));
    uid = key.getMetadata().getUid();
    JsonNode status = JSON.valueToTree(key.getAdditionalProperties().get("status"));
    secretName = status.path("secretName").asText(SEED_NAME);
    String keyId = status.path("key").path("id").asText();
    fingerprint = status.path("key").path("fingerprint").asText();
    vendorKey = world.simulator.keys().stream().filter(k -> k.id().equals(keyId)).findFirst()
        .orElseThrow(() -> new IllegalStateException("the simulator holds no key " + keyId));
    secrets = new ArrayList<>();
    String admin = null;
    String ledgerSeal = null;
    String ledgerDoc = null;
    for (Secret s : world.client.secrets().inNamespace(SEED_NS).list().getItems()) {
      boolean owned = s.getMetadata().getOwnerReferences().stream().anyMatch(o -> uid.equals(o.getUid()))
          || s.getMetadata().getName().equals(secretName);
      if (owned) {
        secrets.add(ServerRecords.written(Serialization.asJson(s)));
        if (s.getData() != null && s.getData().containsKey("ledger.seal")) { // LedgerStore.SEAL_KEY
          ledgerSeal = "ledger.seal";
          ledgerDoc = "ledger.json"; // LedgerStore.DATA_KEY
        }
      } else if (s.getMetadata().getName().equals("fme-admin")) {
        admin = Serialization.asJson(s);
      }
    }
    ledgerSealData = ledgerSeal;
    ledgerDocumentData = ledgerDoc;
    adminSecret = admin;
    provider = Serialization.asJson(world.client.genericKubernetesResources(ApiKeyKinds.PROVIDERS)
        .inNamespace(SEED_NS).withName("fme").get());
    if (ledgerSealData == null || secrets.size() < 2) {
      throw new IllegalStateException("the seed key's state is not what the preload expects (a mounted Secret and "
          + "a sealed ledger Secret); found " + secrets.size() + " owned Secrets");
    }
  }

  /**
   * With {@code op} running on {@link #SEED_NS} (provider only), applies {@code seeds} keys, waits until they are
   * Ready and the operator is idle, stops it and reads its state back.
   */
  static ReadyKeyClones capture(Bench bench, World world, int seeds, OperatorProcess op) throws Exception {
    try (ReadyTracker ready = new ReadyTracker(world, SEED_NS)) {
      for (int i = 0; i < seeds; i++) {
        world.apiKeys().inNamespace(SEED_NS).resource(World.apiKey(SEED_NS, i == 0 ? SEED_NAME : "seed" + i))
            .create();
      }
      ready.awaitCount(seeds, Duration.ofSeconds(120), op);
      op.awaitIdle(world, Duration.ofSeconds(bench.idleSeconds), Duration.ofSeconds(120));
      op.close();
    }
    OperatorClasses classes = new OperatorClasses(bench.operatorJar);
    Secret seal = world.client.secrets().inNamespace(OperatorProcess.NAMESPACE).withName(classes.sealSecretName())
        .get();
    if (seal == null) {
      throw new IllegalStateException("the operator wrote no ledger seal Secret " + OperatorProcess.NAMESPACE + "/"
          + classes.sealSecretName());
    }
    byte[] key = Base64.getDecoder().decode(seal.getData().get(classes.sealKeyData()));
    return new ReadyKeyClones(world, classes, key);
  }

  /** The name of the mounted Secret of clone {@code name} and its data keys. */
  String secretNameOf(String name) {
    return secretName.replace(SEED_NAME, name);
  }

  /** Creates namespace {@code ns} and preloads its provider, admin Secret and {@code n} Ready keys k00000.. */
  void preload(String ns, int n) throws Exception {
    world.mock.createNamespace(ns);
    Map<String, SimKey> minted = mint(ns, n);
    List<String> apiKeys = Collections.synchronizedList(new ArrayList<>());
    List<String> ownedSecrets = Collections.synchronizedList(new ArrayList<>());
    IntStream.range(0, n).parallel().forEach(i -> {
      String name = Bench.key(i);
      SimKey k = minted.get(name);
      Map<String, String> subs = new LinkedHashMap<>();
      String newUid = UUID.randomUUID().toString();
      for (String[] sub : new String[][] {{vendorKey.key(), k.key()}, {vendorKey.id(), k.id()},
          {fingerprint, classes.fingerprint(k.key())}, {uid, newUid}, {SEED_NS, ns}, {SEED_NAME, name}}) {
        if (sub[0] != null && !sub[0].isEmpty()) {
          subs.put(sub[0], sub[1]);
        }
      }
      apiKeys.add(clone(apiKey, subs, true, null));
      for (String s : secrets) {
        ownedSecrets.add(clone(s, subs, false, (doc) -> sealer.seal(ns, name, newUid, doc)));
      }
    });
    Map<String, String> nsOnly = Map.of(SEED_NS, ns);
    ObjectNode p = (ObjectNode) JSON.readTree(clone(provider, nsOnly, false, null));
    ObjectNode status = p.with("status");
    int listed = (Integer) classes.constant("dev.apikeyoperator.reconciler.ProviderReconciler", "MAX_LISTED_USERS",
        50);
    status.put("keysInUse", n);
    ArrayNode usedBy = status.putArray("usedBy");
    IntStream.range(0, Math.min(n, listed)).forEach(i -> usedBy.add(ns + "/" + Bench.key(i)));
    world.mock.preload(ApiKeyKinds.PROVIDERS, List.of(JSON.writeValueAsString(p)));
    world.mock.preload(SECRETS, List.of(clone(adminSecret, nsOnly, false, null)));
    world.mock.preload(ApiKeyKinds.API_KEYS, apiKeys);
    world.mock.preload(SECRETS, ownedSecrets);
  }

  /** One vendor key per clone, minted through the simulator's Admin API as the operator would (name, type, scope). */
  private Map<String, SimKey> mint(String ns, int n) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("apiKeyType", vendorKey.type());
    body.put("workspace", Map.of("type", "workspace", "id", vendorKey.workspaceId()));
    body.put("environments", vendorKey.environmentIds().stream().map(e -> Map.of("type", "environment", "id", e))
        .toList());
    Map<String, String> nameOf = new ConcurrentHashMap<>();
    Parallel.run(n, 4, i -> {
      String name = Bench.key(i);
      Map<String, Object> b = new LinkedHashMap<>(body);
      String keyName = vendorKey.name().replace(SEED_NS, ns).replace(SEED_NAME, name);
      b.put("name", keyName);
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(world.simulator.baseUrl() + "/apiKeys"))
            .header("Authorization", "Bearer " + world.simulator.adminToken())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(b))).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
          throw new IllegalStateException("the simulator answered " + r.statusCode() + " to a key create");
        }
        nameOf.put(JSON.readTree(r.body()).path("key").asText(), name);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    });
    Map<String, SimKey> byName = new ConcurrentHashMap<>();
    for (SimKey k : world.simulator.keys()) {
      String name = nameOf.get(k.key());
      if (name != null) {
        byName.put(name, k);
      }
    }
    if (byName.size() != n) {
      throw new IllegalStateException("minted " + byName.size() + " of " + n + " vendor keys");
    }
    return byName;
  }

  private interface LedgerSealer {
    String seal(String document);
  }

  /**
   * {@code json} with every substitution applied (in the text and in each decoded Secret data value), without its
   * resourceVersion (and uid, unless {@code keepUid}: the ApiKey's is substituted), the ledger re-sealed.
   */
  private String clone(String json, Map<String, String> subs, boolean keepUid, LedgerSealer seal) {
    try {
      ObjectNode node = (ObjectNode) JSON.readTree(json);
      JsonNode data = node.remove("data");
      ObjectNode meta = node.with("metadata");
      meta.remove("resourceVersion");
      if (!keepUid) {
        meta.remove("uid");
      }
      // The state a restart finds was made a while ago (the seed's is seconds old): objects created within the minute
      // before an operator starts wake their key once more when listed (docs/design/ledger.md), older ones do not.
      meta.put("creationTimestamp", java.time.Instant.now().minusSeconds(3600)
          .truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
      ObjectNode out = (ObjectNode) JSON.readTree(substitute(JSON.writeValueAsString(node), subs));
      if (data instanceof ObjectNode d) {
        ObjectNode newData = out.putObject("data");
        d.fields().forEachRemaining(e -> newData.put(e.getKey(), b64(substitute(unb64(e.getValue().asText()),
            subs))));
        if (seal != null && newData.has(ledgerSealData)) {
          newData.put(ledgerSealData, b64(seal.seal(unb64(newData.get(ledgerDocumentData).asText()))));
        }
      }
      return JSON.writeValueAsString(out);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String substitute(String text, Map<String, String> subs) {
    String s = text;
    for (Map.Entry<String, String> e : subs.entrySet()) {
      s = s.replace(e.getKey(), e.getValue());
    }
    return s;
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String unb64(String s) {
    return new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
  }
}
