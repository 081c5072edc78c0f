package dev.apikeyoperator.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apikeyoperator.simulator.FmeSimulator;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * fabric8's mock Kubernetes API server in CRUD mode, started, with a client and the CRDs applied. One canned answer
 * comes first: the SelfSubjectRulesReview that JOSDK's leader election sends to check it may use Leases (the CRUD
 * store cannot answer a review).
 */
public final class MockKubernetes implements AutoCloseable {
  /** Held so the level sticks (java.util.logging keeps loggers weakly): the mock logs every request at INFO. */
  private static final Logger MOCK_SERVER_LOG = Logger.getLogger("io.fabric8.mockwebserver");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final KubernetesMockServer server;
  private final KubernetesMixedDispatcher dispatcher;
  private final KubernetesClient client;
  private volatile KubernetesCrudDispatcher crud;
  /** Where each preloaded resource is stored: its path's key, and the full key with its own attributes (labels). */
  private final Map<AttributeSet, AttributeSet> preloadedKeys = new java.util.concurrent.ConcurrentHashMap<>();
  private volatile ReadWriteLock storeLock;

  private MockKubernetes(Function<Map<ServerRequest, Queue<ServerResponse>>, ? extends KubernetesMixedDispatcher>
      dispatcherFactory) {
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    this.dispatcher = dispatcherFactory.apply(responses);
    this.server = newServer(responses, dispatcher);
    server.init();
    this.client = server.createClient();
  }

  /** Starts a server with no CRDs (apply them with {@link #applyCrds}). */
  public static MockKubernetes start() {
    return new MockKubernetes(KubernetesMixedDispatcher::new);
  }

  /** Starts a server and applies every CRD in the {@code *.yml} / {@code *.yaml} files of {@code crdDir}. */
  public static MockKubernetes start(Path crdDir) {
    return start(crdDir, KubernetesMixedDispatcher::new);
  }

  /**
   * As {@link #start(Path)}, with a dispatcher of the caller's (for instance one that counts requests); it is given
   * the canned answers and must serve them as {@link KubernetesMixedDispatcher} does; {@link #dispatcher()}
   * returns it.
   */
  public static MockKubernetes start(Path crdDir,
      Function<Map<ServerRequest, Queue<ServerResponse>>, ? extends KubernetesMixedDispatcher> dispatcher) {
    MockKubernetes mock = new MockKubernetes(dispatcher);
    try {
      applyCrds(mock.client, crdDir);
    } catch (RuntimeException e) {
      mock.close();
      throw e;
    }
    return mock;
  }

  /** A server in CRUD mode with the canned SelfSubjectRulesReview answer, not started yet. */
  public static KubernetesMockServer newServer() {
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    return newServer(responses, new KubernetesMixedDispatcher(responses));
  }

  private static KubernetesMockServer newServer(Map<ServerRequest, Queue<ServerResponse>> responses,
      KubernetesMixedDispatcher dispatcher) {
    // every request is logged through java.util.logging: only the mock's warnings are of interest
    MOCK_SERVER_LOG.setLevel(Level.WARNING);
    KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
        dispatcher, false);
    server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
        .andReturn(201, new SelfSubjectRulesReviewBuilder()
            .withNewStatus().addNewResourceRule().withApiGroups("coordination.k8s.io").withResources("leases")
            .withVerbs("get", "create", "update").endResourceRule().withIncomplete(false).endStatus().build())
        .always();
    return server;
  }

  /** Applies the CRDs of every {@code *.yml} / {@code *.yaml} file in {@code dir} (in name order); returns them. */
  public static List<CustomResourceDefinition> applyCrds(KubernetesClient client, Path dir) {
    List<CustomResourceDefinition> crds = new ArrayList<>();
    for (Path f : manifestFiles(dir)) {
      try (InputStream in = Files.newInputStream(f)) {
        client.load(in).items().stream().filter(CustomResourceDefinition.class::isInstance)
            .map(CustomResourceDefinition.class::cast).forEach(crds::add);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the CRDs in " + f, e);
      }
    }
    return applyCrds(client, crds);
  }

  /** Creates {@code crds} in the API; returns them. */
  public static List<CustomResourceDefinition> applyCrds(KubernetesClient client,
      List<CustomResourceDefinition> crds) {
    for (CustomResourceDefinition crd : crds) {
      client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
    }
    return crds;
  }

  /** The {@code *.yaml} and {@code *.yml} files directly in {@code dir}, in name order. */
  public static List<Path> manifestFiles(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  public KubernetesMockServer server() {
    return server;
  }

  /** The dispatcher that serves the requests (the caller's, when given to {@link #start(Path, Function)}). */
  public KubernetesMixedDispatcher dispatcher() {
    return dispatcher;
  }

  public KubernetesClient client() {
    return client;
  }

  /**
   * Writes a kubeconfig for a child process (the operator jar) that points at this server with {@code token};
   * its context's namespace is {@code namespace} unless that is null. Returns {@code file}.
   */
  public Path writeKubeconfig(Path file, String token, String namespace) {
    String config = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: mock
          cluster:
            server: http://localhost:%d
            insecure-skip-tls-verify: true
        users:
        - name: mock
          user:
            token: %s
        contexts:
        - name: mock
          context:
            cluster: mock
            user: mock
        %scurrent-context: mock
        """.formatted(server.getPort(), token, namespace == null ? "" : "    namespace: " + namespace + "\n");
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      return Files.writeString(file, config);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /**
   * Puts resources of {@code kind} (JSON documents with apiVersion, kind and metadata; e.g. {@code
   * ResourceDefinitionContext.fromResourceType(Secret.class)}) straight into the CRUD store, bypassing HTTP, as if
   * each had been created: each gets the store's next resourceVersion, and a uid, generation and creationTimestamp
   * when it has none; everything else (status, finalizers) is kept as given. No watch event is sent, so call it
   * before the clients that should see these resources list them. For test beds larger than the mock serves at a
   * useful pace through HTTP (its store answers each request by scanning every object it holds).
   */
  public void preload(ResourceDefinitionContext kind, Collection<String> resources) {
    KubernetesCrudDispatcher crud = crudStore();
    Lock write = storeLock(crud).writeLock();
    write.lock();
    try {
      Map<AttributeSet, String> store = crud.getMap();
      for (String json : resources) {
        ObjectNode node = (ObjectNode) JSON.readTree(json);
        ObjectNode meta = node.with("metadata");
        meta.put("resourceVersion", Long.toString(crud.requestResourceVersion()));
        if (!meta.hasNonNull("uid")) {
          meta.put("uid", UUID.randomUUID().toString());
        }
        if (!meta.hasNonNull("generation")) { // the mock's own create sets it on every kind; its update copies it
          meta.put("generation", 1);
        }
        if (!meta.hasNonNull("creationTimestamp")) {
          meta.put("creationTimestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        }
        String stored = JSON.writeValueAsString(node);
        // keyed as the mock's own create keys it: the collection path's attributes plus the resource's own (name,
        // namespace, labels: without the labels a label-selector list, as the operator's Secret informer makes,
        // would not find it)
        String ns = meta.path("namespace").asText("");
        String path = (kind.getGroup() == null || kind.getGroup().isEmpty() ? "/api/" + kind.getVersion()
            : "/apis/" + kind.getGroup() + "/" + kind.getVersion())
            + (kind.isNamespaceScoped() && !ns.isEmpty() ? "/namespaces/" + ns : "") + "/" + kind.getPlural();
        AttributeSet byPath = crud.getKey(path).add(new Attribute("name", meta.path("name").asText()));
        AttributeSet full = AttributeSet.merge(byPath, crud.getAttributeExtractor().fromResource(stored));
        store.put(full, stored);
        preloadedKeys.put(byPath, full);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("not a JSON resource", e);
    } finally {
      write.unlock();
    }
  }

  /**
   * The stored JSON of the one resource at {@code path} (e.g. {@code /api/v1/namespaces/ns/secrets/name}), found by
   * its key instead of the mock's scan of every stored object; empty when nothing is stored under exactly that key
   * (the caller then asks the mock itself, which also answers what this does not: lists, 404s, and resources the
   * mock's update re-keyed).
   */
  public Optional<String> storedAt(String path) {
    KubernetesCrudDispatcher crud = crudStore();
    Lock read = storeLock(crud).readLock();
    read.lock();
    try {
      AttributeSet key = crud.getKey(path);
      return Optional.ofNullable(crud.getMap().get(preloadedKeys.getOrDefault(key, key)));
    } finally {
      read.unlock();
    }
  }

  /** How many resources the CRUD store holds (every kind, every namespace). */
  public int storedResources() {
    return crudStore().getMap().size();
  }

  private KubernetesCrudDispatcher crudStore() {
    if (crud == null) {
      crud = (KubernetesCrudDispatcher) field(KubernetesMixedDispatcher.class, "kubernetesCrudDispatcher",
          dispatcher);
    }
    return crud;
  }

  private ReadWriteLock storeLock(KubernetesCrudDispatcher of) {
    if (storeLock == null) {
      storeLock = (ReadWriteLock) field(KubernetesCrudDispatcher.class, "lock", of);
    }
    return storeLock;
  }

  /** A private field of fabric8's mock (7.x): it offers no API to fill its store without HTTP. */
  private static Object field(Class<?> type, String name, Object of) {
    try {
      Field f = type.getDeclaredField(name);
      f.setAccessible(true);
      return f.get(of);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("fabric8's mock server has no field " + type.getSimpleName() + "." + name
          + " (another version?): cannot preload its store", e);
    }
  }

  /** Creates the namespace {@code ns}. */
  public void createNamespace(String ns) {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .create();
  }

  /** Creates the Secret {@code ns/name} with one data key {@code key} holding {@code value}. */
  public void createSecret(String ns, String name, String key, String value) {
    client.secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata().withName(name).endMetadata()
        .addToData(key, Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8))).build())
        .create();
  }

  /**
   * Creates the namespace {@code ns} with the admin credentials Secret {@code fme-admin} (data key {@code token})
   * and an ApiKeyProvider {@code fme} pointing at {@code fme}; with {@code spec.rateLimit.requestsPerSecond} when
   * {@code requestsPerSecond > 0}.
   */
  public void namespaceWithFmeProvider(String ns, FmeSimulator fme, double requestsPerSecond) {
    namespaceWithFmeProvider(ns, fme, requestsPerSecond > 0 ? Map.of("requestsPerSecond", requestsPerSecond) : null);
  }

  /** As {@link #namespaceWithFmeProvider(String, FmeSimulator, double)}, with {@code spec.rateLimit} (null: none). */
  public void namespaceWithFmeProvider(String ns, FmeSimulator fme, Map<String, Object> rateLimit) {
    createNamespace(ns);
    createSecret(ns, "fme-admin", "token", fme.adminToken());
    Map<String, Object> spec = new LinkedHashMap<>(Map.of("fme", Map.of("baseUrl", fme.baseUrl(),
        "credentials", Map.of("secretRef", Map.of("name", "fme-admin", "key", "token")))));
    if (rateLimit != null) {
      spec.put("rateLimit", rateLimit);
    }
    client.genericKubernetesResources(ApiKeyKinds.PROVIDERS).inNamespace(ns)
        .resource(ApiKeyKinds.resource(ns, ApiKeyKinds.PROVIDERS.getKind(), "fme", spec)).create();
  }

  @Override
  public void close() {
    try {
      client.close();
    } finally {
      server.destroy();
    }
  }
}
