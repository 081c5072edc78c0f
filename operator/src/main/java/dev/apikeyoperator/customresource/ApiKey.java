package dev.apikeyoperator.customresource;

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
