package dev.apikeyoperator.sandbox;

import static dev.apikeyoperator.sandbox.Doc.asMap;
import static dev.apikeyoperator.sandbox.Doc.list;
import static dev.apikeyoperator.sandbox.Doc.map;
import static dev.apikeyoperator.sandbox.Doc.str;
import static dev.apikeyoperator.sandbox.SandboxWorld.secretName;

import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.api.v1alpha1.ConsumerStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * docs/guides/consumers.md: shows each key's {@code status.consumers}, and checks that every example workload whose pod
 * spec uses a key's Secret (env, envFrom, a volume) is listed there, and nothing else is.
 */
final class ConsumerReport {
  private final SandboxWorld world;
  private final Checklist log;

  ConsumerReport(SandboxWorld world, Checklist log) {
    this.world = world;
    this.log = log;
  }

  void report(List<Doc> apiKeys, List<Doc> applied, int timeoutSeconds) throws InterruptedException {
    List<Doc> workloads = applied.stream().filter(Doc::isWorkload).toList();
    long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"APIKEY", "SECRET", "CONSUMERS (status.consumers)"});
    for (Doc k : apiKeys) {
      ApiKey live = world.apiKey(k);
      if (live == null) {
        continue;
      }
      String secret = secretName(live, k);
      List<String> expected = workloads.stream().filter(w -> k.namespace().equals(w.namespace())
          && secretsOf(w).contains(secret)).map(w -> w.kind() + " " + w.name()).sorted().toList();
      List<String> listed = listed(live);
      while (!listed.equals(expected) && System.nanoTime() < deadline) {
        Thread.sleep(200);
        live = world.apiKey(k);
        listed = live == null ? List.of() : listed(live);
      }
      if (!expected.isEmpty() || !listed.isEmpty()) {
        log.check(listed.equals(expected), "ApiKey " + k.ref() + " lists the example workloads that use Secret "
            + secret + " in status.consumers: " + expected, "it lists " + listed);
      }
      rows.add(new String[] {k.ref(), secret, listed.isEmpty() ? "-" : String.join(", ", listed)});
    }
    log.blank();
    log.line("Workloads using each key's Secret (stored here, not run):");
    log.table(rows);
  }

  private static List<String> listed(ApiKey live) {
    List<ConsumerStatus> consumers = live.getStatus() == null ? null : live.getStatus().consumers;
    return consumers == null ? List.of() : consumers.stream().map(ConsumerStatus::toString).sorted().toList();
  }

  /** The Secrets a workload's pod spec names: env secretKeyRef, envFrom secretRef, secret and projected volumes. */
  static Set<String> secretsOf(Doc workload) {
    Map<String, Object> pod = workload.podSpec();
    Set<String> names = new TreeSet<>();
    List<Object> containers = new ArrayList<>(list(pod, "containers"));
    containers.addAll(list(pod, "initContainers"));
    for (Object c : containers) {
      for (Object e : list(asMap(c), "env")) {
        add(names, str(map(map(asMap(e), "valueFrom"), "secretKeyRef"), "name"));
      }
      for (Object e : list(asMap(c), "envFrom")) {
        add(names, str(map(asMap(e), "secretRef"), "name"));
      }
    }
    for (Object v : list(pod, "volumes")) {
      add(names, str(map(asMap(v), "secret"), "secretName"));
      for (Object source : list(map(asMap(v), "projected"), "sources")) {
        add(names, str(map(asMap(source), "secret"), "name"));
      }
    }
    return names;
  }

  private static void add(Set<String> names, String name) {
    if (name != null) {
      names.add(name);
    }
  }
}
