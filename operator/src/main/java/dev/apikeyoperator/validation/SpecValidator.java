package dev.apikeyoperator.validation;

import dev.apikeyoperator.api.v1alpha1.GoDuration;
import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.api.v1alpha1.ApiKeySpec;
import dev.apikeyoperator.api.v1alpha1.DeletionPolicy;
import dev.apikeyoperator.api.v1alpha1.RotationSpec;
import dev.apikeyoperator.api.v1alpha1.SecretSpec;
import dev.apikeyoperator.issuer.Vendor;
import dev.apikeyoperator.issuer.Vendors;
import dev.apikeyoperator.secret.ManagedSecrets;
import dev.apikeyoperator.secret.SecretTemplates;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks an ApiKey's spec before anything else happens. It repeats the CRD's CEL rules (a cluster without
 * admission validation, or an old CRD, must not lead to a key minted from a bad spec) and adds the checks CEL
 * cannot express. Each problem is one plain sentence that says what to change.
 */
public final class SpecValidator {
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern DATA_KEY = Pattern.compile("[-._a-zA-Z0-9]+");
  private static final Pattern KEY_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
  private static final Pattern LABEL_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
  /** The vendor shows names in its UI; a long prefix leaves room for the operator's suffix. */
  public static final int MAX_KEY_NAME = 100;

  private SpecValidator() {}

  /** Returns the problems found; empty when the spec is valid. */
  public static List<String> validate(ApiKey apiKey) {
    List<String> problems = new ArrayList<>();
    ApiKeySpec spec = apiKey.getSpec();
    if (spec == null) {
      problems.add("spec is missing: give at least spec.providerRef and spec.fme");
      return problems;
    }
    if (!spec.readProblems().isEmpty()) {
      problems.addAll(spec.readProblems()); // what was unreadable is null now: other checks would mislead
      return problems;
    }
    List<String> tooLarge = SizeLimits.check(spec, "spec");
    if (!tooLarge.isEmpty()) {
      problems.addAll(tooLarge); // the other checks quote values: not ones this large
      return problems;
    }
    String name = apiKey.getMetadata().getName();
    if (ManagedSecrets.ledgerName(name).length() > 253) {
      problems.add("metadata.name is too long: use at most " + (253 - ManagedSecrets.ledgerName("").length())
          + " characters");
    }
    if (spec.providerRef == null || blank(spec.providerRef.name)) {
      problems.add("spec.providerRef.name is missing: name the ApiKeyProvider or ClusterApiKeyProvider that mints "
          + "this key");
    } else if (!DNS_SUBDOMAIN.matcher(spec.providerRef.name).matches()) {
      problems.add("spec.providerRef.name '" + spec.providerRef.name + "' is not a valid Kubernetes object name");
    }
    List<Vendor> vendors = Vendors.ofKey(spec);
    if (vendors.isEmpty()) {
      problems.add("spec.fme is missing: say which Harness FME key to create (type, project, environments), or "
          + "give spec.statsig for a Statsig key, spec.launchDarkly for a LaunchDarkly one, or spec.unleash for an "
          + "Unleash token");
    } else if (vendors.size() > 1) {
      problems.add("give exactly one of spec.fme, spec.statsig, spec.launchDarkly and spec.unleash, matching the "
          + "provider's vendor");
    } else {
      vendors.get(0).validate(spec, problems);
    }
    if (spec.deletionPolicy == DeletionPolicy.Deactivate
        && vendors.stream().noneMatch(v -> v.capabilities().deactivates())) {
      problems.add("deletionPolicy Deactivate applies to Statsig keys only: use Delete or Orphan");
    }
    if (spec.keyName != null) {
      if (spec.keyName.length() > MAX_KEY_NAME || !KEY_NAME.matcher(spec.keyName).matches()) {
        problems.add("spec.keyName '" + spec.keyName + "' is not usable: use 1 to " + MAX_KEY_NAME
            + " letters, digits, '.', '_' or '-', starting with a letter or digit");
      }
    }
    validateSecret(spec.secret, name, problems);
    if (spec.adopt != null) {
      if (spec.adopt.secretRef == null || blank(spec.adopt.secretRef.name)) {
        problems.add("spec.adopt.secretRef.name is missing: name the Secret that holds the existing key");
      } else if (!DNS_SUBDOMAIN.matcher(spec.adopt.secretRef.name).matches()) {
        problems.add("spec.adopt.secretRef.name '" + spec.adopt.secretRef.name + "' is not a valid Secret name");
      }
    }
    if (spec.rolloutRestartTargets != null) {
      for (int i = 0; i < spec.rolloutRestartTargets.size(); i++) {
        var t = spec.rolloutRestartTargets.get(i);
        if (t == null || t.kind == null || blank(t.name)) {
          problems.add("spec.rolloutRestartTargets[" + i + "] needs a kind (Deployment, StatefulSet or DaemonSet) "
              + "and a name");
        }
      }
    }
    if (spec.rotation != null) {
      checkDuration("spec.rotation.every", spec.rotation.every, Duration.ofSeconds(10), problems);
      checkDuration("spec.rotation.gracePeriod", spec.rotation.gracePeriod, Duration.ZERO, problems);
      checkEveryExceedsGrace(spec.rotation, problems);
    }
    return problems;
  }

  private static void validateSecret(SecretSpec secret, String apiKeyName, List<String> problems) {
    if (secret == null) {
      return;
    }
    if (secret.name != null) {
      if (secret.name.length() > 253 || !DNS_SUBDOMAIN.matcher(secret.name).matches()) {
        problems.add("spec.secret.name '" + secret.name + "' is not a valid Secret name: use lower-case letters, "
            + "digits, '-' and '.'");
      } else if (secret.name.endsWith(ManagedSecrets.LEDGER_SUFFIX)) {
        problems.add("spec.secret.name must not end with '" + ManagedSecrets.LEDGER_SUFFIX
            + "': that name is reserved for the operator's own records");
      }
    }
    if (secret.key != null && (secret.key.length() > 253 || !DATA_KEY.matcher(secret.key).matches())) {
      problems.add("spec.secret.key '" + secret.key + "' is not a valid data key: use letters, digits, '-', '_' "
          + "and '.'");
    }
    problems.addAll(SecretTemplates.problems(secret.templates(), blank(secret.key) ? SecretSpec.DEFAULT_KEY
        : secret.key));
    Set<String> reservedLabels = ManagedSecrets.reservedLabels();
    for (Map.Entry<String, String> e : nullSafe(secret.labels).entrySet()) {
      if (reservedLabels.contains(e.getKey())) {
        problems.add("spec.secret.labels must not set '" + e.getKey() + "': the operator sets it");
      } else if (!validLabelKey(e.getKey()) || e.getValue() == null || e.getValue().length() > 63
          || !LABEL_VALUE.matcher(e.getValue()).matches()) {
        problems.add("spec.secret.labels has an invalid label '" + e.getKey() + "': keys are [prefix/]name and "
            + "values at most 63 letters, digits, '-', '_' or '.'");
      }
    }
    for (String key : nullSafe(secret.annotations).keySet()) {
      if (ManagedSecrets.reservedAnnotations().contains(key)) {
        problems.add("spec.secret.annotations must not set '" + key + "': the operator sets it");
      } else if (!validLabelKey(key)) {
        problems.add("spec.secret.annotations has an invalid key '" + key + "'");
      }
    }
  }

  private static void checkDuration(String field, String value, Duration min, List<String> problems) {
    if (value == null) {
      return;
    }
    try {
      if (GoDuration.parse(value).compareTo(min) < 0) {
        problems.add(field + " '" + value + "' is too short: use at least " + min.toSeconds() + "s");
      }
    } catch (IllegalArgumentException e) {
      problems.add(field + ": " + e.getMessage());
    }
  }

  /**
   * A replaced key is revoked after its grace period; rotating at least as often would pile replaced keys up
   * faster than they are revoked.
   */
  private static void checkEveryExceedsGrace(RotationSpec rotation, List<String> problems) {
    if (rotation.every == null) {
      return;
    }
    String grace = rotation.gracePeriod == null ? RotationSpec.DEFAULT_GRACE_PERIOD : rotation.gracePeriod;
    try {
      if (GoDuration.parse(rotation.every).compareTo(GoDuration.parse(grace)) <= 0) {
        problems.add("spec.rotation.every (" + rotation.every + ") must be longer than spec.rotation.gracePeriod ("
            + grace + "): lengthen the schedule or shorten the grace period");
      }
    } catch (IllegalArgumentException e) {
      // reported by checkDuration
    }
  }

  private static boolean validLabelKey(String key) {
    if (key == null || key.isEmpty()) {
      return false;
    }
    int slash = key.indexOf('/');
    String prefix = slash >= 0 ? key.substring(0, slash) : null;
    String name = slash >= 0 ? key.substring(slash + 1) : key;
    if (prefix != null && (prefix.length() > 253 || !DNS_SUBDOMAIN.matcher(prefix).matches())) {
      return false;
    }
    return name.length() <= 63 && LABEL_NAME.matcher(name).matches();
  }

  private static Map<String, String> nullSafe(Map<String, String> map) {
    return map == null ? Map.of() : map;
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
