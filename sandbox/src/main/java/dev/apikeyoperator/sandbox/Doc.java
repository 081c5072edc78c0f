package dev.apikeyoperator.sandbox;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** One manifest document from the examples, as a tree of maps, with the helpers that read and write such trees. */
record Doc(Path file, Map<String, Object> obj) {
  private static final Set<String> WORKLOADS = Set.of(
      "Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob");

  String kind() {
    return String.valueOf(obj.get("kind"));
  }

  String name() {
    return str(map(obj, "metadata"), "name");
  }

  String namespace() {
    return str(map(obj, "metadata"), "namespace");
  }

  String ref() {
    return (namespace() == null ? "" : namespace() + "/") + name();
  }

  String describe() {
    return kind() + " " + ref();
  }

  /** For a provider: {@code statsig} when its spec has a statsig block, else {@code fme}. */
  String vendor() {
    return map(obj, "spec").containsKey("unleash") ? "unleash" : map(obj, "spec").containsKey("statsig") ? "statsig"
        : map(obj, "spec").containsKey("launchDarkly") ? "launchDarkly" : "fme";
  }

  /** True for an ApiKeyProvider or a ClusterApiKeyProvider. */
  boolean isProvider() {
    return kind().endsWith("ApiKeyProvider");
  }

  /** True for a kind that runs pods (not run here: there is no kubelet). */
  boolean isWorkload() {
    return WORKLOADS.contains(kind());
  }

  /** A workload's pod spec (a Pod's own, a CronJob's job template's, else the pod template's). */
  Map<String, Object> podSpec() {
    return kind().equals("Pod") ? map(obj, "spec")
        : kind().equals("CronJob") ? map(map(map(map(map(obj, "spec"), "jobTemplate"), "spec"), "template"), "spec")
        : map(map(map(obj, "spec"), "template"), "spec");
  }

  /** The provider's credentials Secret reference, under {@code spec.fme} or {@code spec.statsig}. */
  Map<String, Object> credentialsRef() {
    return map(map(map(map(obj, "spec"), vendor()), "credentials"), "secretRef");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> asMap(Object o) {
    return o instanceof Map<?, ?> m ? (Map<String, Object>) m : new LinkedHashMap<>();
  }

  /** The child object {@code key} of {@code parent}; an empty, detached map when missing (reading only). */
  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Map<String, Object> parent, String key) {
    return parent.get(key) instanceof Map<?, ?> m ? (Map<String, Object>) m : new LinkedHashMap<>();
  }

  /** The child object {@code key} of {@code parent}, created and attached when missing (for writing). */
  @SuppressWarnings("unchecked")
  static Map<String, Object> child(Map<String, Object> parent, String key) {
    if (!(parent.get(key) instanceof Map<?, ?>)) {
      parent.put(key, new LinkedHashMap<String, Object>());
    }
    return (Map<String, Object>) parent.get(key);
  }

  static List<?> list(Map<String, Object> parent, String key) {
    return parent.get(key) instanceof List<?> l ? l : List.of();
  }

  static String str(Map<String, Object> m, String key) {
    Object v = m.get(key);
    return v == null ? null : String.valueOf(v);
  }
}
