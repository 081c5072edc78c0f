package dev.apikeyoperator.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import java.util.ArrayList;
import java.util.List;

/** Compares RBAC rules by what they grant, whatever way they are grouped. */
final class RbacRules {
  private RbacRules() {
  }

  /** One permission: apiGroup, resource, verb. */
  record Grant(String apiGroup, String resource, String verb) {
  }

  static PolicyRule rule(String apiGroup, List<String> resources, String... verbs) {
    return new PolicyRuleBuilder().withApiGroups(apiGroup).withResources(resources).withVerbs(verbs).build();
  }

  static List<Grant> flatten(List<PolicyRule> rules) {
    List<Grant> grants = new ArrayList<>();
    for (PolicyRule rule : rules) {
      assertThat(rule.getResourceNames()).as("resourceNames").isNullOrEmpty();
      assertThat(rule.getNonResourceURLs()).as("nonResourceURLs").isNullOrEmpty();
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          for (String verb : rule.getVerbs()) {
            grants.add(new Grant(group, resource, verb));
          }
        }
      }
    }
    return grants;
  }

  static void assertNoWildcard(PolicyRule rule) {
    assertThat(rule.getApiGroups()).as("apiGroups of %s", rule).isNotEmpty().noneMatch(s -> s.contains("*"));
    assertThat(rule.getResources()).as("resources of %s", rule).isNotEmpty().noneMatch(s -> s.contains("*"));
    assertThat(rule.getVerbs()).as("verbs of %s", rule).isNotEmpty().noneMatch(s -> s.contains("*"));
    assertThat(rule.getNonResourceURLs()).as("nonResourceURLs of %s", rule).isNullOrEmpty();
  }
}
