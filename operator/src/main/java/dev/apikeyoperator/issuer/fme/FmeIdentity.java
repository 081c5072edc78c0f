package dev.apikeyoperator.issuer.fme;

import dev.apikeyoperator.api.v1alpha1.FmeKeySpec;
import dev.apikeyoperator.api.v1alpha1.FmeRole;
import dev.apikeyoperator.api.v1alpha1.NameOrId;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The identity of an FME key: what it grants and can never change on a live key. Two forms: as written in the
 * spec (names or ids; lets a steady-state reconcile see that nothing changed without asking the vendor), and
 * resolved (ids only; writing the id of a project that was named before changes nothing).
 */
public final class FmeIdentity {
  private FmeIdentity() {}

  public static String ofSpec(FmeKeySpec fme) {
    return "fme;type=" + fme.type.wire()
        + ";project=" + ref(fme.project)
        + ";environments=" + (fme.environments == null ? "" : fme.environments.stream().map(FmeIdentity::ref)
            .sorted().collect(Collectors.joining(",")))
        + ";roles=" + roles(fme.roles);
  }

  public static String resolved(FmeKeySpec fme, String workspaceId, List<String> environmentIds) {
    return "fme;type=" + fme.type.wire()
        + ";project=" + (workspaceId == null ? "" : workspaceId)
        + ";environments=" + environmentIds.stream().sorted().collect(Collectors.joining(","))
        + ";roles=" + roles(fme.roles);
  }

  private static String roles(List<FmeRole> roles) {
    return roles == null ? "" : roles.stream().map(Enum::name).sorted().distinct().collect(Collectors.joining(","));
  }

  private static String ref(NameOrId ref) {
    if (ref == null) {
      return "";
    }
    return ref.name != null ? "name:" + ref.name : "id:" + ref.id;
  }
}
