package dev.apikeyoperator.simulator;

/**
 * How strictly the LaunchDarkly simulator behaves. Strict by default (as the vendor documents it); each leniency is a
 * switch. The account's plan is a setting, not a leniency: {@link #multipleSdkKeys} false is a plan without
 * Enterprise or Guardian, where an environment has its one default SDK key and one mobile key only.
 */
public final class LaunchDarklyRules {
  /** SDK key calls without {@code LD-API-Version: beta} are accepted (the vendor: 400). */
  public volatile boolean betaHeaderOptional;
  /** A deleted SDK key's id can be created again (the vendor: 409, the id is tombstoned). */
  public volatile boolean reuseDeletedIds;
  /** An expiry can be cleared with 0 (the vendor: 400). */
  public volatile boolean clearableExpiry;
  /** {@code Authorization: Bearer <token>} is accepted (the vendor: the token alone, else 401). */
  public volatile boolean acceptBearer;
  /** Token PATCH accepts a JSON merge object (the vendor: a JSON Patch array, else 400). */
  public volatile boolean mergePatchTokens;
  /** The plan allows several SDK and mobile keys per environment (Enterprise or Guardian). Default true. */
  public volatile boolean multipleSdkKeys = true;
  /** The status a plan refusal of a second SDK key answers (the vendor documents only "an error"). */
  public volatile int planRefusalStatus = 403;
}
