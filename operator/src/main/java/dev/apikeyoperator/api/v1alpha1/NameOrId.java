package dev.apikeyoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.generator.annotation.Size;

/** Refers to a vendor object (project or environment) by its name or by its id. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.name) != has(self.id)", message = "give exactly one of name or id")
public class NameOrId {
  @JsonPropertyDescription("Name as shown in the vendor's UI (exact, case-sensitive). Give either name or id.")
  @Size(max = 253)
  public String name;

  @JsonPropertyDescription("Vendor id. Give either name or id.")
  @Size(max = 253)
  public String id;

  public NameOrId() {}

  public static NameOrId byName(String name) {
    NameOrId r = new NameOrId();
    r.name = name;
    return r;
  }

  public static NameOrId byId(String id) {
    NameOrId r = new NameOrId();
    r.id = id;
    return r;
  }

  @Override
  public String toString() {
    return name != null ? "name '" + name + "'" : "id '" + id + "'";
  }
}
