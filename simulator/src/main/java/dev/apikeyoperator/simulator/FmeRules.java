package dev.apikeyoperator.simulator;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How strictly the {@link FmeSimulator} follows the vendor's documents (docs/integrations/vendor-apis.md, "What the vendor does
 * that a lenient fake hides"). The defaults are the vendor's behaviour; each setter turns one leniency on (or, for
 * {@link #setPaywallAdminKeys(boolean)}, one plan restriction). Live and thread-safe: changes apply to the next
 * request. Not changed by {@link FmeSimulator#reset()} nor by {@link Faults#clear()}.
 */
public final class FmeRules {

  /** The vendor's limit on key names (terraform-provider-split raised it from 15 to 100). */
  public static final int VENDOR_MAX_KEY_NAME_LENGTH = 100;

  private volatile boolean readRolesRequired = true;
  private volatile boolean deniedDeleteAnswers404 = true;
  private volatile int maxKeyNameLength = VENDOR_MAX_KEY_NAME_LENGTH;
  private volatile boolean environmentScopedCreates;
  private volatile boolean paywallAdminKeys;
  private volatile boolean capitalisedTypes = true;

  /**
   * Whether {@code GET /workspaces} and {@code GET /environments/ws/{id}} need {@code API_ALL_GRANTED},
   * {@code API_ADMIN} or {@code API_WORKSPACE_ADMIN} (default true; else 401). False lets any credential read.
   */
  public boolean isReadRolesRequired() {
    return readRolesRequired;
  }

  public FmeRules setReadRolesRequired(boolean required) {
    this.readRolesRequired = required;
    return this;
  }

  /**
   * Whether a {@code DELETE /apiKeys/{id}} from a caller that is not GLOBAL-scope answers 404, "does not exist or no
   * access" (default true); false answers 403. Either way the key stays live.
   */
  public boolean isDeniedDeleteAnswers404() {
    return deniedDeleteAnswers404;
  }

  public FmeRules setDeniedDeleteAnswers404(boolean answers404) {
    this.deniedDeleteAnswers404 = answers404;
    return this;
  }

  /** Longest accepted key name (default 100; longer answers 400); 0 = no limit. */
  public int getMaxKeyNameLength() {
    return maxKeyNameLength;
  }

  public FmeRules setMaxKeyNameLength(int maxKeyNameLength) {
    if (maxKeyNameLength < 0) {
      throw new IllegalArgumentException("maxKeyNameLength must be >= 0");
    }
    this.maxKeyNameLength = maxKeyNameLength;
    return this;
  }

  /**
   * Whether an environment-scoped caller may create keys within its environments (default false: 403, like the
   * vendor). True restores the old lenient fake.
   */
  public boolean isEnvironmentScopedCreates() {
    return environmentScopedCreates;
  }

  public FmeRules setEnvironmentScopedCreates(boolean allowed) {
    this.environmentScopedCreates = allowed;
    return this;
  }

  /**
   * Whether the account's plan forbids admin keys (default false): creating an {@code admin} key then answers
   * {@code 402 {"message":"Forbidden by Paywalls"}} and creates nothing.
   */
  public boolean isPaywallAdminKeys() {
    return paywallAdminKeys;
  }

  public FmeRules setPaywallAdminKeys(boolean paywalled) {
    this.paywallAdminKeys = paywalled;
    return this;
  }

  /**
   * Whether create answers write {@code "Organization"} / {@code "Environment"} in the {@code type} of
   * {@code organization} and {@code environments[]} as live answers do (default true); false writes the documented
   * lower-case values.
   */
  public boolean isCapitalisedTypes() {
    return capitalisedTypes;
  }

  public FmeRules setCapitalisedTypes(boolean capitalised) {
    this.capitalisedTypes = capitalised;
    return this;
  }

  /** Copies every setting from {@code other}. */
  public FmeRules copyFrom(FmeRules other) {
    readRolesRequired = other.readRolesRequired;
    deniedDeleteAnswers404 = other.deniedDeleteAnswers404;
    maxKeyNameLength = other.maxKeyNameLength;
    environmentScopedCreates = other.environmentScopedCreates;
    paywallAdminKeys = other.paywallAdminKeys;
    capitalisedTypes = other.capitalisedTypes;
    return this;
  }

  /** The settings as a JSON-ready map (field names as used by {@code /__simulator/rules}). */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("readRolesRequired", readRolesRequired);
    m.put("deniedDeleteAnswers404", deniedDeleteAnswers404);
    m.put("maxKeyNameLength", maxKeyNameLength);
    m.put("environmentScopedCreates", environmentScopedCreates);
    m.put("paywallAdminKeys", paywallAdminKeys);
    m.put("capitalisedTypes", capitalisedTypes);
    return m;
  }

  @Override
  public String toString() {
    return "FmeRules" + toMap();
  }
}
