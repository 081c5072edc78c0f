package dev.apikeyoperator.account;

import dev.apikeyoperator.customresource.ApiKeySpec;
import dev.apikeyoperator.customresource.FmeKeySpec;
import dev.apikeyoperator.customresource.FmeRole;
import dev.apikeyoperator.customresource.NameOrId;
import dev.apikeyoperator.customresource.StatsigKeySpec;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The identity of a key: what it grants and can never change on a live key. Two forms: as written in the spec
 * (names or ids; lets a steady-state reconcile see that nothing changed without asking the vendor), and resolved
 * (ids only; writing the id of a project that was named before changes nothing).
 */
public final class Identity {
  private Identity() {}

  /** The identity as written in the spec, whichever the vendor. */
  public static String ofSpec(ApiKeySpec spec) {
    return spec.statsig != null ? "statsig;type=" + spec.statsig.type : ofSpec(spec.fme);
  }

  /**
   * The settings a vendor updates in place on a live key (Statsig description, scopes, environments, target apps);
   * empty for FME, whose keys have none.
   */
  public static String settingsOf(ApiKeySpec spec) {
    StatsigKeySpec s = spec.statsig;
    if (s == null) {
      return "";
    }
    return "description=" + s.description + ";scopes=" + sorted(s.scopes) + ";environments=" + sorted(s.environments)
        + ";targetApp=" + (s.targetApp == null ? "" : s.targetApp) + ";secondaryTargetApps="
        + sorted(s.secondaryTargetApps);
  }

  private static String sorted(List<String> values) {
    return values == null ? "" : values.stream().sorted().collect(Collectors.joining(","));
  }

  public static String ofSpec(FmeKeySpec fme) {
    return "fme;type=" + fme.type.wire()
        + ";project=" + ref(fme.project)
        + ";environments=" + (fme.environments == null ? "" : fme.environments.stream().map(Identity::ref)
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
