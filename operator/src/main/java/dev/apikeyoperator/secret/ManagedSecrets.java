package dev.apikeyoperator.secret;

import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.api.v1alpha1.SecretSpec;
import dev.apikeyoperator.secretvalue.KeyValue;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** The layout of the Secret that pods mount (docs/concepts/ready-and-synced.md: The Secret). */
public final class ManagedSecrets {
  /** The ledger Secret beside each ApiKey ends so; no mounted Secret may (docs/design/ledger.md). */
  public static final String LEDGER_SUFFIX = "-apikey-ledger";
  /** On a ledger Secret: the name of the ApiKey it is the record of. */
  public static final String LEDGER_LABEL = "apikeyoperator.dev/ledger-of";

  /** The name of the ledger Secret of the ApiKey named {@code apiKeyName}. */
  public static String ledgerName(String apiKeyName) {
    return apiKeyName + LEDGER_SUFFIX;
  }

  public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
  public static final String MANAGED_BY_VALUE = "apikey-operator";
  public static final String APIKEY_LABEL = "apikeyoperator.dev/apikey";
  public static final String FINGERPRINT_ANNOTATION = "apikeyoperator.dev/key-fingerprint";

  private ManagedSecrets() {}

  public static Set<String> reservedLabels() {
    return Set.of(MANAGED_BY_LABEL, APIKEY_LABEL);
  }

  public static Set<String> reservedAnnotations() {
    return Set.of(FINGERPRINT_ANNOTATION);
  }

  public static String secretName(ApiKey apiKey) {
    SecretSpec s = apiKey.getSpec().secret;
    return s != null && s.name != null && !s.name.isBlank() ? s.name : apiKey.getMetadata().getName();
  }

  /**
   * The Secrets of {@code apiKey}: the one pods mount (under its current name and the one the status names) and
   * its ledger. Told to the Secret informer, so that it keeps no index of its own from each ApiKey to its Secrets
   * (docs/design/memory-and-startup.md: heap per Ready key); the operator reads its Secrets by name.
   */
  public static Set<ResourceID> namesOf(ApiKey apiKey) {
    String namespace = apiKey.getMetadata().getNamespace();
    Set<ResourceID> ids = new java.util.HashSet<>();
    ids.add(new ResourceID(ledgerName(apiKey.getMetadata().getName()), namespace));
    if (apiKey.getSpec() != null) {
      ids.add(new ResourceID(secretName(apiKey), namespace));
    }
    if (apiKey.getStatus() != null && apiKey.getStatus().secretName != null) {
      ids.add(new ResourceID(apiKey.getStatus().secretName, namespace));
    }
    return ids;
  }

  /**
   * The ApiKeys a Secret of the operator's belongs to: its owner, and the ApiKey its labels name, so that a Secret
   * restored from a backup (which drops ownerReferences) wakes its ApiKey (docs/concepts/guarantees.md 10).
   */
  public static Set<ResourceID> ownersOf(Secret secret) {
    String namespace = secret.getMetadata().getNamespace();
    Set<ResourceID> ids = new java.util.HashSet<>();
    if (secret.getMetadata().getOwnerReferences() != null) {
      secret.getMetadata().getOwnerReferences().stream().filter(o -> "ApiKey".equals(o.getKind()))
          .forEach(o -> ids.add(new ResourceID(o.getName(), namespace)));
    }
    Map<String, String> labels = secret.getMetadata().getLabels();
    if (labels != null) {
      for (String label : List.of(APIKEY_LABEL, LEDGER_LABEL)) {
        if (labels.get(label) != null) {
          ids.add(new ResourceID(labels.get(label), namespace));
        }
      }
    }
    return ids;
  }

  public static String dataKey(ApiKey apiKey) {
    SecretSpec s = apiKey.getSpec().secret;
    return s != null && s.key != null && !s.key.isBlank() ? s.key : SecretSpec.DEFAULT_KEY;
  }

  /**
   * The Secret as it should be for the key: its value under {@code spec.secret.key}, and the data keys that
   * {@code spec.secret.template} renders from it.
   */
  public static Secret desired(ApiKey apiKey, SecretTemplates.KeyFacts key) throws SecretTooLargeException {
    KeyValue value = key.value();
    SecretSpec spec = apiKey.getSpec().secret;
    Map<String, String> labels = new LinkedHashMap<>();
    if (spec != null && spec.labels != null) {
      labels.putAll(spec.labels);
    }
    labels.put(MANAGED_BY_LABEL, MANAGED_BY_VALUE);
    labels.put(APIKEY_LABEL, apiKey.getMetadata().getName());
    Map<String, String> annotations = new LinkedHashMap<>();
    if (spec != null && spec.annotations != null) {
      annotations.putAll(spec.annotations);
    }
    annotations.put(FINGERPRINT_ANNOTATION, value.fingerprint());
    Map<String, String> data = new LinkedHashMap<>(SecretTemplates.render(spec == null ? null : spec.templates(),
        key));
    data.put(dataKey(apiKey), value.reveal());
    int size = SecretTemplates.size(data);
    if (size > SecretTemplates.MAX_SECRET_BYTES) {
      throw new SecretTooLargeException("The Secret rendered from spec.secret.template.data would be " + size
          + " bytes, over the " + SecretTemplates.MAX_SECRET_BYTES + " bytes a Secret may hold, so it was not "
          + "written: shorten the templates or use fewer data keys");
    }
    Map<String, String> encoded = new LinkedHashMap<>();
    data.forEach((k, v) -> encoded.put(k, base64(v)));
    return new SecretBuilder()
        .withNewMetadata()
          .withName(secretName(apiKey))
          .withNamespace(apiKey.getMetadata().getNamespace())
          .withLabels(labels)
          .withAnnotations(annotations)
          .withOwnerReferences(ownerReference(apiKey, true))
        .endMetadata()
        .withType("Opaque")
        .withData(encoded)
        .build();
  }

  /** Whether {@code existing} already matches {@code desired} in everything the operator manages. */
  public static boolean matches(Secret existing, Secret desired) {
    return Objects.equals(existing.getData(), desired.getData())
        && Objects.equals(existing.getType(), desired.getType())
        && Objects.equals(nullToEmpty(existing.getMetadata().getLabels()), desired.getMetadata().getLabels())
        && Objects.equals(withoutWriteMark(existing.getMetadata().getAnnotations()),
            withoutWriteMark(desired.getMetadata().getAnnotations()))
        && existing.getMetadata().getOwnerReferences() != null
        && existing.getMetadata().getOwnerReferences().equals(desired.getMetadata().getOwnerReferences());
  }

  /**
   * The annotations without the mark each write carries ({@code javaoperatorsdk.io/previous}: which process wrote
   * it, over which version), so that the operator's own writes wake no reconcile; it says nothing about the key.
   */
  private static Map<String, String> withoutWriteMark(Map<String, String> annotations) {
    if (annotations == null || !annotations.containsKey(InformerEventSource.PREVIOUS_ANNOTATION_KEY)) {
      return nullToEmpty(annotations);
    }
    Map<String, String> rest = new java.util.HashMap<>(annotations);
    rest.remove(InformerEventSource.PREVIOUS_ANNOTATION_KEY);
    return rest;
  }

  public static boolean isOwnedBy(Secret secret, ApiKey apiKey) {
    return secret.getMetadata().getOwnerReferences() != null
        && secret.getMetadata().getOwnerReferences().stream()
            .anyMatch(o -> Objects.equals(o.getUid(), apiKey.getMetadata().getUid()));
  }

  public static OwnerReference ownerReference(ApiKey apiKey, boolean controller) {
    return new OwnerReferenceBuilder()
        .withApiVersion(apiKey.getApiVersion())
        .withKind(apiKey.getKind())
        .withName(apiKey.getMetadata().getName())
        .withUid(apiKey.getMetadata().getUid())
        .withController(controller)
        .withBlockOwnerDeletion(true)
        .build();
  }

  /** The value under {@code dataKey} (data, or stringData as written by hand), or null. */
  public static String value(Secret secret, String dataKey) {
    String encoded = secret.getData() == null ? null : secret.getData().get(dataKey);
    if (encoded != null) {
      return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    }
    return secret.getStringData() == null ? null : secret.getStringData().get(dataKey);
  }

  private static Map<String, String> nullToEmpty(Map<String, String> m) {
    return m == null ? Map.of() : m;
  }

  private static String base64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
