package dev.apikeyoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** A replaced key that still awaits revocation. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PreviousKeyStatus {
  @JsonPropertyDescription("Vendor-side name of the key.")
  public String name;

  @JsonPropertyDescription("sha256: followed by the first 16 hex digits of sha256(value).")
  public String fingerprint;

  @JsonPropertyDescription("When the operator revokes it (RFC 3339).")
  public String revokeAfter;

  @Override
  public boolean equals(Object o) {
    return o instanceof PreviousKeyStatus k && Objects.equals(name, k.name)
        && Objects.equals(fingerprint, k.fingerprint) && Objects.equals(revokeAfter, k.revokeAfter);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, fingerprint, revokeAfter);
  }
}
