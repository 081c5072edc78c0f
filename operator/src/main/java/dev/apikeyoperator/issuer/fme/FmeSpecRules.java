package dev.apikeyoperator.issuer.fme;

import dev.apikeyoperator.api.v1alpha1.FmeKeySpec;
import dev.apikeyoperator.api.v1alpha1.FmeKeyType;
import dev.apikeyoperator.api.v1alpha1.FmeRole;
import dev.apikeyoperator.api.v1alpha1.NameOrId;
import java.util.HashSet;
import java.util.List;

/** The checks of an ApiKey's {@code spec.fme} (the CRD's CEL rules repeated, and what CEL cannot express). */
final class FmeSpecRules {
  private FmeSpecRules() {}

  static void validate(FmeKeySpec fme, List<String> problems) {
    if (fme.type == null) {
      problems.add("spec.fme.type is missing: use admin, server_side or client_side");
      return;
    }
    if (fme.project != null) {
      checkRef("spec.fme.project", fme.project, problems);
    }
    List<NameOrId> environments = fme.environments == null ? List.of() : fme.environments;
    for (int i = 0; i < environments.size(); i++) {
      checkRef("spec.fme.environments[" + i + "]", environments.get(i), problems);
    }
    List<FmeRole> roles = fme.roles == null ? List.of() : fme.roles;
    if (fme.type == FmeKeyType.ADMIN) {
      if (roles.isEmpty()) {
        problems.add("admin keys need at least one role in spec.fme.roles (without roles the vendor would grant "
            + "API_ALL_GRANTED)");
      }
      if (roles.contains(null)) {
        problems.add("spec.fme.roles has an empty entry: use role names such as API_FEATURE_FLAG_VIEWER");
      }
      if (new HashSet<>(roles).size() != roles.size()) {
        problems.add("spec.fme.roles lists a role twice: list each role once");
      }
      if (!environments.isEmpty() && fme.project == null) {
        problems.add("spec.fme.environments need spec.fme.project: environments belong to a project");
      }
    } else {
      if (!roles.isEmpty()) {
        problems.add("roles apply only to admin keys: remove spec.fme.roles from " + fme.type.wire() + " keys");
      }
      if (fme.project == null) {
        problems.add(fme.type.wire() + " keys need spec.fme.project (by name or id)");
      }
      if (environments.size() != 1) {
        problems.add(fme.type.wire() + " keys need exactly one entry in spec.fme.environments (found "
            + environments.size() + ")");
      }
    }
  }

  private static void checkRef(String field, NameOrId ref, List<String> problems) {
    if (ref == null) {
      problems.add(field + " is empty: give a name or an id");
      return;
    }
    boolean hasName = ref.name != null;
    boolean hasId = ref.id != null;
    if (hasName == hasId) {
      problems.add(field + " must give exactly one of name or id");
    } else if (hasName ? ref.name.isBlank() : ref.id.isBlank()) {
      problems.add(field + (hasName ? ".name" : ".id") + " is blank");
    }
  }
}
