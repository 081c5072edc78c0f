package dev.apikeyoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;
import io.fabric8.generator.annotation.Size;

/** What Harness FME key to create. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@ValidationRule(
    value = "self.type != 'admin' || (has(self.roles) && size(self.roles) > 0)",
    message = "admin keys need at least one role in spec.fme.roles (without roles the vendor would grant API_ALL_GRANTED)")
@ValidationRule(
    value = "self.type == 'admin' || !has(self.roles) || size(self.roles) == 0",
    message = "roles apply only to admin keys: remove spec.fme.roles from server_side and client_side keys")
@ValidationRule(
    value = "self.type == 'admin' || has(self.project)",
    message = "server_side and client_side keys need spec.fme.project")
@ValidationRule(
    value = "self.type == 'admin' || (has(self.environments) && size(self.environments) == 1)",
    message = "server_side and client_side keys need exactly one entry in spec.fme.environments")
@ValidationRule(
    value = "!has(self.environments) || size(self.environments) == 0 || has(self.project)",
    message = "spec.fme.environments need spec.fme.project: environments belong to a project")
public class FmeKeySpec {
  @Required
  @JsonPropertyDescription("Key type: admin (Admin API), server_side (server SDKs) or client_side (browser and mobile SDKs). "
      + "Changing it replaces the key.")
  public FmeKeyType type;

  @JsonPropertyDescription("Project (workspace) the key belongs to, by name or id. Required for server_side and "
      + "client_side keys; for admin keys, omitted means global scope. Changing it replaces the key.")
  public NameOrId project;

  @JsonPropertyDescription("Environments of the project, by name or id. server_side and client_side: exactly one. "
      + "admin: zero (project scope) or more (environment scope). Changing them replaces the key.")
  @Size(max = 50)
  public List<NameOrId> environments = new ArrayList<>();

  @JsonPropertyDescription("Admin roles; admin keys only, and required there (the operator never asks for the "
      + "vendor's implicit API_ALL_GRANTED). Changing them replaces the key.")
  @Size(max = 32)
  public List<FmeRole> roles = new ArrayList<>();
}
