package dev.apikeyoperator.sandbox;

import static dev.apikeyoperator.sandbox.Doc.child;
import static dev.apikeyoperator.sandbox.Doc.map;
import static dev.apikeyoperator.sandbox.Doc.str;

import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.api.v1alpha1.ApiKeyProvider;
import dev.apikeyoperator.api.v1alpha1.ClusterApiKeyProvider;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the example manifests and applies them as kubectl would, pointed at the simulators: the providers' base
 * URLs and their credentials Secrets are rewritten, and each custom resource is checked against its CRD's schema
 * first (the mock API server validates nothing). Workloads are stored (the operator lists them as consumers) but
 * not run (no kubelet).
 */
final class Examples {
  private static final Map<String, Integer> APPLY_ORDER = Map.of(
      "Namespace", 0, "Secret", 1, "ClusterApiKeyProvider", 2, "ApiKeyProvider", 3, "ApiKey", 4);

  private record SecretRef(String namespace, String name, String key) {}

  private final SandboxWorld world;
  private final Checklist log;
  private final Path examplesDir;

  Examples(SandboxWorld world, Checklist log, Path examplesDir) {
    this.world = world;
    this.log = log;
    this.examplesDir = examplesDir;
  }

  List<Doc> parse(List<Path> files) throws IOException {
    KubernetesClient client = world.client;
    KubernetesSerialization ser = client.getKubernetesSerialization();
    List<Doc> docs = new ArrayList<>();
    for (Path f : files) {
      try (InputStream in = Files.newInputStream(f)) {
        for (HasMetadata item : client.load(in).items()) {
          @SuppressWarnings("unchecked")
          Map<String, Object> obj = ser.convertValue(item, Map.class);
          docs.add(new Doc(f, obj));
        }
      } catch (RuntimeException e) {
        log.fail("examples/" + f.getFileName() + " parses", e.getMessage());
      }
    }
    return docs;
  }

  /** The namespaces the documents are in, and those of the cluster providers' credentials Secrets. */
  static Set<String> namespaces(List<Doc> docs) {
    Set<String> namespaces = new LinkedHashSet<>();
    for (Doc d : docs) {
      if (d.namespace() != null) {
        namespaces.add(d.namespace());
      }
      if (d.kind().equals("ClusterApiKeyProvider")) {
        Optional.ofNullable(str(d.credentialsRef(), "namespace")).ifPresent(namespaces::add);
      }
    }
    return namespaces;
  }

  /** Applies {@code docs} in dependency order; returns those applied (workloads included). */
  List<Doc> apply(List<Doc> docs) {
    KubernetesSerialization ser = world.client.getKubernetesSerialization();
    // The providers point at the real vendors and hold placeholder tokens: point them at the simulators.
    Map<SecretRef, Doc> credentialSecrets = new LinkedHashMap<>();
    for (Doc d : docs) {
      if (d.isProvider()) {
        Map<String, Object> ref = d.credentialsRef();
        String ns = d.kind().equals("ClusterApiKeyProvider") ? str(ref, "namespace") : d.namespace();
        credentialSecrets.put(new SecretRef(ns, str(ref, "name"),
            Objects.requireNonNullElse(str(ref, "key"), "token")), d);
      }
    }
    List<Doc> sorted = docs.stream()
        .sorted(Comparator.comparingInt(d -> APPLY_ORDER.getOrDefault(d.kind(), 5))).toList();
    List<Doc> applied = new ArrayList<>();
    for (Doc d : sorted) {
      String where = "examples/" + d.file().getFileName();
      if (!validate(d, where)) {
        // kubectl (strict field validation) would refuse it too.
        log.line(String.format("%-42s %s", "not applied " + d.describe(), "(" + where + "; invalid, see above)"));
        continue;
      }
      String note = "";
      if (d.isProvider()) {
        boolean isStatsig = d.vendor().equals("statsig");
        boolean isLaunchDarkly = d.vendor().equals("launchDarkly");
        boolean isUnleash = d.vendor().equals("unleash");
        child(child(d.obj(), "spec"), d.vendor()).put("baseUrl", isLaunchDarkly ? world.launchDarkly.baseUrl()
            : isUnleash ? world.unleash.baseUrl() : isStatsig ? world.statsig.baseUrl() : world.fme.baseUrl());
        note = "baseUrl -> " + (isLaunchDarkly ? "LaunchDarkly" : isUnleash ? "Unleash" : isStatsig ? "Statsig"
            : "FME") + " simulator";
      } else if (d.kind().equals("Secret")) {
        note = pointAtTheSimulators(d, credentialSecrets);
      }
      try {
        HasMetadata resource = switch (d.kind()) {
          case "ApiKey" -> ser.convertValue(d.obj(), ApiKey.class);
          case "ApiKeyProvider" -> ser.convertValue(d.obj(), ApiKeyProvider.class);
          case "ClusterApiKeyProvider" -> ser.convertValue(d.obj(), ClusterApiKeyProvider.class);
          default -> ser.unmarshal(ser.asJson(d.obj()));
        };
        world.client.resource(resource).create();
        if (d.isWorkload()) {
          // Stored, so the operator lists it in status.consumers; no kubelet runs it.
          note = "stored, not run: no kubelet here; checked against the Secrets below";
        }
        log.line(String.format("%-42s %s", "created " + d.describe(), "(" + where + (note.isEmpty() ? "" : "; "
            + note) + ")"));
        applied.add(d);
      } catch (RuntimeException e) {
        log.fail(d.describe() + " from " + where + " is created", e.getMessage());
      }
    }
    for (Map.Entry<SecretRef, Doc> e : credentialSecrets.entrySet()) {
      SecretRef ref = e.getKey();
      log.check(docs.stream().anyMatch(d -> d.kind().equals("Secret") && d.name().equals(ref.name())
              && Objects.equals(d.namespace(), ref.namespace())),
          e.getValue().describe() + ": its credentials Secret " + ref.namespace() + "/" + ref.name()
              + " is in the examples", "no such Secret in " + examplesDir);
    }
    return applied;
  }

  /**
   * Turns the Secret's stringData into data (the mock API server does not, as a real one does) and, when it is a
   * provider's credentials Secret, puts the simulator's credential in; returns what was changed, for the log.
   */
  private String pointAtTheSimulators(Doc d, Map<SecretRef, Doc> credentialSecrets) {
    String note = "";
    Map<String, Object> data = child(d.obj(), "data");
    Map<String, Object> stringData = map(d.obj(), "stringData");
    stringData.forEach((k, v) -> data.put(k, b64(String.valueOf(v))));
    d.obj().remove("stringData");
    for (Map.Entry<SecretRef, Doc> e : credentialSecrets.entrySet()) {
      SecretRef ref = e.getKey();
      if (ref.name().equals(d.name()) && ref.namespace() != null && ref.namespace().equals(d.namespace())) {
        if (e.getValue().vendor().equals("launchDarkly")) {
          data.put(ref.key(), b64(world.launchDarkly.adminToken()));
          note = "data." + ref.key() + " -> LaunchDarkly simulator access token";
        } else if (e.getValue().vendor().equals("unleash")) {
          data.put(ref.key(), b64(world.unleash.adminToken()));
          note = "data." + ref.key() + " -> Unleash simulator admin token";
        } else if (e.getValue().vendor().equals("statsig")) {
          data.put(ref.key(), b64(world.statsig.consoleKey()));
          note = "data." + ref.key() + " -> Statsig simulator console key";
        } else {
          data.put(ref.key(), b64(world.fme.adminToken()));
          note = "data." + ref.key() + " -> FME simulator admin token";
        }
      }
    }
    return note;
  }

  /** Checks a custom resource's spec against its CRD's schema (the mock API server validates nothing). */
  private boolean validate(Doc d, String where) {
    Optional<CustomResourceDefinition> crd = world.crds.stream()
        .filter(c -> c.getSpec().getNames().getKind().equals(d.kind())).findFirst();
    if (crd.isEmpty()) {
      return true;
    }
    String version = String.valueOf(d.obj().get("apiVersion"));
    Optional<CustomResourceDefinitionVersion> v = crd.get().getSpec().getVersions().stream()
        .filter(x -> version.equals(crd.get().getSpec().getGroup() + "/" + x.getName())).findFirst();
    List<String> errors = new ArrayList<>();
    if (v.isEmpty()) {
      errors.add("apiVersion " + version + " is not served by the CRD");
    } else {
      var schema = v.get().getSchema().getOpenAPIV3Schema();
      SchemaCheck.validate(schema.getProperties().get("spec"), d.obj().get("spec"), "spec", errors);
    }
    log.check(errors.isEmpty(), where + ": " + d.describe() + " matches the " + d.kind() + " CRD schema",
        String.join("; ", errors));
    return errors.isEmpty();
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
