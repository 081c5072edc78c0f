package dev.apikeyoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** The current key, described without its value. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KeyStatus {
  @JsonPropertyDescription("Vendor-side name of this very key, as shown in the vendor's UI.")
  public String name;

  @JsonPropertyDescription("Vendor id, when the vendor returned one.")
  public String id;

  @JsonPropertyDescription("sha256: followed by the first 16 hex digits of sha256(value).")
  public String fingerprint;

  @JsonPropertyDescription("When the key was created (RFC 3339).")
  public String createdAt;

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyStatus k && Objects.equals(name, k.name) && Objects.equals(id, k.id)
        && Objects.equals(fingerprint, k.fingerprint) && Objects.equals(createdAt, k.createdAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, id, fingerprint, createdAt);
  }
}
