package dev.apikeyoperator.simulator;

import java.util.Objects;

/**
 * Start-up settings of a {@link StatsigSimulator}. Simple mutable object with fluent setters.
 *
 * <p>Defaults: port 8091, console key {@code console-sim-admin} (scope {@code can_access_keys}), mutation limits: burst
 * protection 100 per 10 s and a quota of 1 800 attempts per 15 min, {@code STATSIG-API-VERSION} required, strict
 * {@link StatsigRules}, no faults.
 */
public final class StatsigSimulatorConfig {

  /** The default seeded console key. */
  public static final String DEFAULT_CONSOLE_KEY = "console-sim-admin";
  /** The only API version the simulator accepts. */
  public static final String API_VERSION = "20240601";

  private int port = 8091;
  private String consoleKey = DEFAULT_CONSOLE_KEY;
  private int mutationsPer10s = 100;
  private int attemptsPer15min = 1800;
  private boolean apiVersionRequired = true;
  private final Faults faults = new Faults();
  private final StatsigRules rules = new StatsigRules();

  /** A configuration with every default. */
  public static StatsigSimulatorConfig defaults() {
    return new StatsigSimulatorConfig();
  }

  public int port() {
    return port;
  }

  /** The port to bind on 127.0.0.1; 0 picks a free ephemeral port. */
  public StatsigSimulatorConfig port(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    this.port = port;
    return this;
  }

  public String consoleKey() {
    return consoleKey;
  }

  /** The seeded console key (scope {@code can_access_keys}). */
  public StatsigSimulatorConfig consoleKey(String consoleKey) {
    Objects.requireNonNull(consoleKey, "consoleKey");
    if (consoleKey.isBlank()) {
      throw new IllegalArgumentException("consoleKey must not be blank");
    }
    this.consoleKey = consoleKey;
    return this;
  }

  public int mutationsPer10s() {
    return mutationsPer10s;
  }

  /** Burst protection: mutations (POST/PATCH/DELETE) allowed in any sliding 10 s window; 0 = off. Default 100. */
  public StatsigSimulatorConfig mutationsPer10s(int limit) {
    this.mutationsPer10s = checkLimit(limit, "mutationsPer10s");
    return this;
  }

  public int attemptsPer15min() {
    return attemptsPer15min;
  }

  /**
   * The quota: mutation attempts (POST/PATCH/DELETE, refused ones included unless
   * {@link StatsigRules#setRejectedAttemptsCount(boolean)} says otherwise) in any sliding 15 min window; 0 = off.
   * Default 1 800.
   */
  public StatsigSimulatorConfig attemptsPer15min(int limit) {
    this.attemptsPer15min = checkLimit(limit, "attemptsPer15min");
    return this;
  }

  public boolean apiVersionRequired() {
    return apiVersionRequired;
  }

  /**
   * Whether a request without {@code STATSIG-API-VERSION} is answered 400 (default true; Statsig documents the header
   * as optional "for now"). A present header must always be {@value #API_VERSION}.
   */
  public StatsigSimulatorConfig apiVersionRequired(boolean required) {
    this.apiVersionRequired = required;
    return this;
  }

  /** The initial vendor rules (strict by default); mutate them before {@link StatsigSimulator#start}. */
  public StatsigRules rules() {
    return rules;
  }

  /** The initial faults; mutate them before {@link StatsigSimulator#start(StatsigSimulatorConfig)}. */
  public Faults faults() {
    return faults;
  }

  static int checkLimit(int limit, String name) {
    if (limit < 0) {
      throw new IllegalArgumentException(name + " must be >= 0");
    }
    return limit;
  }
}
