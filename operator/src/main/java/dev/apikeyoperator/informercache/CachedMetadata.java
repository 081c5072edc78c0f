package dev.apikeyoperator.informercache;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the informer caches keep of an object's metadata: everything
 * the operator reads, without the server-side field ownership ({@code managedFields}, which the operator never
 * reads: it does not use server-side apply), with each collection unmodifiable and of its exact size (each empty one
 * the model objects start with: one shared empty one), and the strings that many cached objects repeat (namespace,
 * names, uids, owner kinds) shared ({@link String#intern()}). The cached copies are read, never changed: a reconcile
 * works on a clone (JOSDK), and what the operator writes is built anew.
 *
 * <p>The object is stripped in place: the informer hands the very object it caches to the event filters too, so
 * that the older (cached) and the newer object of an update look alike.
 */
public final class CachedMetadata {
  /** One shared empty map for each model object's additional properties (none is ever added to a cached copy). */
  private static final Map<String, Object> NO_PROPERTIES = Map.of();

  private CachedMetadata() {}

  /** Strips {@code meta} in place (see the class comment); null stays null. */
  public static void strip(ObjectMeta meta) {
    if (meta == null) {
      return;
    }
    meta.setManagedFields(null);
    meta.setNamespace(intern(meta.getNamespace()));
    meta.setName(intern(meta.getName()));
    meta.setUid(intern(meta.getUid()));
    meta.setFinalizers(internAll(meta.getFinalizers()));
    meta.setLabels(shared(meta.getLabels()));
    meta.setAnnotations(shared(meta.getAnnotations()));
    List<OwnerReference> owners = meta.getOwnerReferences();
    if (owners == null || owners.isEmpty()) {
      meta.setOwnerReferences(List.of());
    } else {
      meta.setOwnerReferences(compact(owners));
      for (OwnerReference o : owners) {
        o.setApiVersion(intern(o.getApiVersion()));
        o.setKind(intern(o.getKind()));
        o.setName(intern(o.getName()));
        o.setUid(intern(o.getUid()));
        o.setAdditionalProperties(properties(o.getAdditionalProperties()));
      }
    }
    meta.setAdditionalProperties(properties(meta.getAdditionalProperties()));
  }


  /** {@code s} shared with every equal string kept this way; null stays null. */
  public static String intern(String s) {
    return s == null ? null : s.intern();
  }

  /** The additional properties of a model object: the shared empty map when there are none. */
  public static Map<String, Object> properties(Map<String, Object> properties) {
    return properties == null || properties.isEmpty() ? NO_PROPERTIES : properties;
  }

  /** A list of strings each shared; an empty one becomes the shared empty list. */
  public static List<String> internAll(List<String> values) {
    if (values == null || values.isEmpty()) {
      return List.of();
    }
    List<String> out = new ArrayList<>(values.size());
    values.forEach(v -> out.add(intern(v)));
    return compact(out);
  }

  /** {@code list} as an unmodifiable list of its exact size (a cached copy is never changed); one with nulls as is. */
  public static <T> List<T> compact(List<T> list) {
    if (list == null || list.stream().anyMatch(java.util.Objects::isNull)) {
      return list;
    }
    return List.copyOf(list);
  }

  /**
   * {@code map} as an unmodifiable map without hash buckets or entries (a third of the size of a small
   * LinkedHashMap; a cached copy is never changed); one with nulls as is.
   */
  public static <V> Map<String, V> compact(Map<String, V> map) {
    if (map == null || map.entrySet().stream().anyMatch(e -> e.getKey() == null || e.getValue() == null)) {
      return map;
    }
    return Map.copyOf(map);
  }

  /** Labels or annotations with their keys and values shared; none: the shared empty map. */
  private static Map<String, String> shared(Map<String, String> values) {
    if (values == null || values.isEmpty()) {
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>(values.size() * 4 / 3 + 1);
    values.forEach((k, v) -> out.put(intern(k), v != null && v.length() <= 64 ? intern(v) : v));
    return compact(out);
  }
}
