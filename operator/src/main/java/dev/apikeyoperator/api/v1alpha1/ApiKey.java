package dev.apikeyoperator.api.v1alpha1;

import dev.apikeyoperator.lenientread.LenientDeserializer;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** A vendor API key that the operator creates, stores in a Secret, rotates and revokes. */
@Group(ApiKey.GROUP)
@Version(ApiKey.VERSION)
@Plural("apikeys")
@Singular("apikey")
@ShortNames("ak")
@Categories("apikeys")
@AdditionalPrinterColumn(name = "TYPE", jsonPath = ".spec.fme.type", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "READY", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "SYNCED", jsonPath = ".status.conditions[?(@.type==\"Synced\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "REASON", jsonPath = ".status.conditions[?(@.type==\"Synced\")].reason", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "SECRET", jsonPath = ".status.secretName", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "AGE", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class ApiKey extends CustomResource<ApiKeySpec, ApiKeyStatus> implements Namespaced {
  public static final String GROUP = "apikeyoperator.dev";
  public static final String VERSION = "v1alpha1";
  public static final String FINALIZER = "apikeyoperator.dev/revoke";
  /** "true": no vendor call is made for this ApiKey, its deletion's revocations included, until removed. */
  public static final String PAUSED_ANNOTATION = "apikeyoperator.dev/paused";
  /** Names the key of an indeterminate creation that a human has dealt with; its intent is then dropped. */
  public static final String ACKNOWLEDGE_ANNOTATION = "apikeyoperator.dev/acknowledge-indeterminate";
  /** A new value asks for one rotation of the current key. */
  public static final String ROTATE_ANNOTATION = "apikeyoperator.dev/rotate-requested-at";
  /** Names the resourceVersion of a ledger that does not verify: that ledger is replaced by an empty one. */
  public static final String DISCARD_ANNOTATION = "apikeyoperator.dev/discard-invalid-state";

  @Override
  @com.fasterxml.jackson.annotation.JsonPropertyDescription("What key to create, through which provider, and where to write it.")
  public ApiKeySpec getSpec() {
    return super.getSpec();
  }

  @Override
  @com.fasterxml.jackson.annotation.JsonPropertyDescription("What the operator did: the Ready and Synced conditions, the current key (never its value), replaced keys awaiting revocation.")
  public ApiKeyStatus getStatus() {
    return super.getStatus();
  }

  /** Read leniently: an unreadable value becomes an InvalidSpec naming the field, never a stopped informer. */
  @Override
  @com.fasterxml.jackson.databind.annotation.JsonDeserialize(using = LenientDeserializer.class)
  public void setSpec(ApiKeySpec spec) {
    super.setSpec(spec);
  }

  /** Read leniently too: a status written by another operator version must not stop this one. */
  @Override
  @com.fasterxml.jackson.databind.annotation.JsonDeserialize(using = LenientDeserializer.class)
  public void setStatus(ApiKeyStatus status) {
    super.setStatus(status);
  }
}
