package dev.apikeyoperator.bench;

import dev.apikeyoperator.simulator.FmeSimulator;
import dev.apikeyoperator.testkit.ApiKeyKinds;
import dev.apikeyoperator.testkit.MockKubernetes;
import dev.apikeyoperator.testkit.Simulators;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the operator process runs against, all in the benchmark's JVM: fabric8's mock API server in CRUD mode (plus
 * the canned SelfSubjectRulesReview JOSDK may send, as the operator's ITs do), with every request counted by verb,
 * resource and answer, and the FME simulator.
 */
final class World implements AutoCloseable {
  static final ResourceDefinitionContext API_KEYS = ApiKeyKinds.API_KEYS;

  final MockKubernetes mock;
  final KubernetesClient client;
  final CountingDispatcher dispatcher;
  private final Simulators simulators;
  final FmeSimulator simulator;
  final Path kubeconfig;
  /** Requests/s the mock served alone at the store size in use ({@link MockCapacity}); 0 until measured. */
  volatile double capacityPerSecond;

  /** A mock API server and a simulator of their own; {@code name} names the kubeconfig file. */
  World(Path crdsDir, Path workDir, String name) {
    mock = MockKubernetes.start(crdsDir, CountingDispatcher::new);
    dispatcher = (CountingDispatcher) mock.dispatcher();
    dispatcher.store = mock;
    client = mock.client();
    simulators = Simulators.fmeOnly();
    simulator = simulators.fme();
    kubeconfig = mock.writeKubeconfig(workDir.resolve("kubeconfig-" + name), "bench-token", null);
  }

  /** A namespace with the admin credentials Secret and an ApiKeyProvider "fme" pointing at the simulator. */
  void namespaceWithProvider(String ns) {
    namespaceWithProvider(ns, null);
  }

  /** ... with {@code spec.rateLimit} as given (null: none, as the shipped examples). */
  void namespaceWithProvider(String ns, Map<String, Object> rateLimit) {
    mock.namespaceWithFmeProvider(ns, simulator, rateLimit);
  }

  MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>>
      apiKeys() {
    return client.genericKubernetesResources(API_KEYS);
  }

  /** A server_side key for project Shop, environment Production (the simulator's default seed). */
  static GenericKubernetesResource apiKey(String ns, String name) {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("providerRef", Map.of("name", "fme"));
    spec.put("fme", Map.of("type", "server_side", "project", Map.of("name", "Shop"),
        "environments", List.of(Map.of("name", "Production"))));
    return ApiKeyKinds.resource(ns, API_KEYS.getKind(), name, spec);
  }

  /** True when the ApiKey's Ready condition is True with reason KeyReady. */
  @SuppressWarnings("unchecked")
  static boolean isReady(GenericKubernetesResource r) {
    Object s = r.getAdditionalProperties().get("status");
    if (!(s instanceof Map<?, ?> status) || !(status.get("conditions") instanceof List<?> cs)) {
      return false;
    }
    for (Object c : cs) {
      if (c instanceof Map<?, ?> m && "Ready".equals(m.get("type"))) {
        return "True".equals(m.get("status")) && "KeyReady".equals(m.get("reason"));
      }
    }
    return false;
  }

  /** The Ready reason, or "none". */
  static String reason(GenericKubernetesResource r) {
    Object s = r.getAdditionalProperties().get("status");
    if (s instanceof Map<?, ?> status && status.get("conditions") instanceof List<?> cs) {
      for (Object c : cs) {
        if (c instanceof Map<?, ?> m && "Ready".equals(m.get("type"))) {
          return String.valueOf(m.get("reason"));
        }
      }
    }
    return "none";
  }

  /** Simulator request counts minus an earlier snapshot. */
  static Map<String, Integer> delta(Map<String, Integer> now, Map<String, Integer> before) {
    Map<String, Integer> d = new TreeMap<>();
    now.forEach((k, v) -> {
      int x = v - before.getOrDefault(k, 0);
      if (x != 0) {
        d.put(k, x);
      }
    });
    return d;
  }

  @Override
  public void close() {
    try {
      simulators.close();
    } finally {
      mock.close();
    }
  }

  /**
   * The mock's CRUD dispatcher, counting each request as "VERB resource[/subresource] code" (e.g.
   * "PUT secrets 200", "PATCH apikeys/status 200"); watches count as "WATCH resource".
   */
  static final class CountingDispatcher extends KubernetesMixedDispatcher {
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    /** Serves GETs of one named resource by key: the mock's own GET scans every stored object. */
    volatile MockKubernetes store;

    CountingDispatcher(Map<ServerRequest, Queue<ServerResponse>> responses) {
      super(responses);
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      String path = request.getPath() == null ? "" : request.getPath();
      MockResponse response = byKey(request.getMethod(), path);
      if (response == null) {
        response = super.dispatch(request);
      }
      String verb = request.getMethod();
      if (path.contains("watch=true")) {
        verb = "WATCH";
      }
      counts.computeIfAbsent(verb + " " + resourceOf(path) + " " + (verb.equals("WATCH") ? "" : response.code()),
          k -> new AtomicLong()).incrementAndGet();
      return response;
    }

    /**
     * A GET of one namespaced resource ({@code /api/v1/namespaces/ns/plural/name}, {@code
     * /apis/group/version/namespaces/ns/plural/name}, no query) answered from the store by its key, as the mock
     * would answer it; null for anything else or when not stored under that key (the mock answers those).
     */
    private MockResponse byKey(String method, String path) {
      MockKubernetes s = store;
      if (s == null || !"GET".equals(method) || path.contains("?")) {
        return null;
      }
      String[] parts = path.split("/");
      boolean named = parts.length >= 4 && parts[parts.length - 4].equals("namespaces")
          && (parts.length == 7 && parts[1].equals("api") || parts.length == 8 && parts[1].equals("apis"));
      if (!named) {
        return null;
      }
      return s.storedAt(path).map(json -> new MockResponse().setResponseCode(200).setBody(json)).orElse(null);
    }

    /** "secrets", "apikeys/status", ... from /api/v1/namespaces/ns/secrets/name or /apis/g/v/namespaces/... */
    static String resourceOf(String path) {
      int q = path.indexOf('?');
      String p = q < 0 ? path : path.substring(0, q);
      String[] parts = p.split("/");
      int i = p.startsWith("/apis/") ? 4 : 3; // index after version
      if (i < parts.length && parts[i].equals("namespaces") && i + 2 < parts.length) {
        i += 2;
      }
      if (i >= parts.length) {
        return p;
      }
      String resource = parts[i];
      if (i + 2 < parts.length) {
        resource += "/" + parts[i + 2];
      }
      return resource;
    }

    Map<String, Long> snapshot() {
      Map<String, Long> m = new TreeMap<>();
      counts.forEach((k, v) -> m.put(k.trim(), v.get()));
      return m;
    }

    static Map<String, Long> delta(Map<String, Long> now, Map<String, Long> before) {
      Map<String, Long> d = new TreeMap<>();
      now.forEach((k, v) -> {
        long x = v - before.getOrDefault(k, 0L);
        if (x != 0) {
          d.put(k, x);
        }
      });
      return d;
    }

    /** Writes (POST, PUT, PATCH, DELETE) in a delta whose resource starts with {@code resource}. */
    static long writes(Map<String, Long> delta, String resource) {
      return delta.entrySet().stream().filter(e -> {
        String[] f = e.getKey().split(" ");
        return f.length >= 2 && List.of("POST", "PUT", "PATCH", "DELETE").contains(f[0])
            && (f[1].equals(resource) || f[1].startsWith(resource + "/"));
      }).mapToLong(Map.Entry::getValue).sum();
    }
  }
}
