package dev.apikeyoperator.simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stateful, in-process fake of the Statsig Console API keys endpoints, served on 127.0.0.1 under
 * {@code /console/v1}, with control endpoints under {@code /__simulator}. Thread-safe.
 *
 * <pre>{@code
 * try (StatsigSimulator sim = StatsigSimulator.start(StatsigSimulatorConfig.defaults().port(0))) {
 *   String base = sim.baseUrl();          // http://127.0.0.1:<port>/console/v1
 *   String key = sim.consoleKey();        // STATSIG-API-KEY with scope can_access_keys
 *   sim.faults().setDropCreateResponses(1);
 * }
 * }</pre>
 */
public final class StatsigSimulator implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(StatsigSimulator.class);

  private final StatsigState state = new StatsigState();
  private final Faults faults;
  private final StatsigRules rules;
  private final RateLimiter rateLimiter;
  private final MutationLimiter mutationLimiter;
  private final RequestStats stats = new RequestStats();
  private final String consoleKey;
  private final EmbeddedHttpServer server;
  private final StatsigApiHandler api;
  private final StatsigControlHandler control;

  private StatsigSimulator(StatsigSimulatorConfig config) throws IOException {
    this.faults = new Faults().copyFrom(config.faults());
    this.rules = new StatsigRules().copyFrom(config.rules());
    this.rateLimiter = new RateLimiter(faults);
    this.mutationLimiter = new MutationLimiter(config.mutationsPer10s(), config.attemptsPer15min());
    this.consoleKey = config.consoleKey();
    state.addConsoleKey(consoleKey, List.of(StatsigState.SCOPE_CAN_ACCESS_KEYS));
    this.api = new StatsigApiHandler(state, faults, rules, rateLimiter, mutationLimiter, stats, config.apiVersionRequired());
    this.control = new StatsigControlHandler(this);

    this.server = new EmbeddedHttpServer("statsig-sim", config.port(),
        Map.of(StatsigApiHandler.PREFIX, api::handle, AbstractControlHandler.PREFIX, control::handle),
        StatsigApiHandler::error);
    LOG.debug("Statsig simulator started on port {}", port());
  }

  /** Starts a simulator (port 0 = ephemeral) bound to 127.0.0.1. */
  public static StatsigSimulator start(StatsigSimulatorConfig config) {
    try {
      return new StatsigSimulator(config);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the Statsig simulator on port " + config.port(), e);
    }
  }

  /** The bound port. */
  public int port() {
    return server.port();
  }

  /** {@code http://127.0.0.1:<port>/console/v1}. */
  public String baseUrl() {
    return server.url(StatsigApiHandler.PREFIX);
  }

  /** {@code http://127.0.0.1:<port>/__simulator}. */
  public String controlUrl() {
    return server.url(AbstractControlHandler.PREFIX);
  }

  /** The seeded console key (scope {@code can_access_keys}); default {@code console-sim-admin}. */
  public String consoleKey() {
    return consoleKey;
  }

  /** Live, mutable fault settings ({@code createResponsesIncludeId} and {@code rateLimitHeaders} do not apply). */
  public Faults faults() {
    return faults;
  }

  /** Live vendor rules: strict by default, each leniency a switch (see simulator/README.md). */
  public StatsigRules rules() {
    return rules;
  }

  /** Every key ever created through the API or by a rotation (any status), in creation order. */
  public List<StatsigSimKey> keys() {
    return state.keys();
  }

  /** The keys whose status is {@code active}, in creation order. */
  public List<StatsigSimKey> activeKeys() {
    return state.keys().stream().filter(StatsigSimKey::isActive).toList();
  }

  /** Number of {@code POST /keys} that created a key (including dropped responses; rotations are not counted). */
  public int createCount() {
    return state.createCount();
  }

  /** Request counts by "METHOD /operation status", e.g. "POST /keys 201", "PATCH /keys/{id}/rotate 200". */
  public Map<String, Integer> requestCounts() {
    return stats.snapshot();
  }

  /**
   * Deactivates a key as someone in the Statsig console would (works for seeded console keys too; a deleted key
   * stays deleted). Throws IllegalArgumentException when the key is unknown.
   */
  public void deactivateOutside(String key) {
    state.setStatusOutside(key, StatsigSimKey.DEACTIVATED);
  }

  /**
   * Deletes a key as someone in the Statsig console would (works for seeded console keys too; idempotent). Throws
   * IllegalArgumentException when the key is unknown.
   */
  public void deleteOutside(String key) {
    state.setStatusOutside(key, StatsigSimKey.DELETED);
  }

  /**
   * Adds a console key (a credential, not listed by {@code GET /keys}) with these scopes; it can call the keys API
   * only when the scopes include {@code can_access_keys} (else 403).
   */
  public void addConsoleKey(String key, List<String> scopes) {
    state.addConsoleKey(key, scopes);
  }

  /**
   * Changes the mutation limits: burst protection per sliding 10 s and the attempt quota per sliding 15 min (0 = off);
   * counted attempts are kept.
   */
  public void setMutationLimits(int mutationsPer10s, int attemptsPer15min) {
    mutationLimiter.setLimits(mutationsPer10s, attemptsPer15min);
  }

  /** The current mutation limit per sliding 10 s window (0 = off). */
  public int mutationsPer10s() {
    return mutationLimiter.perShortWindow();
  }

  /** The current attempt quota per sliding 15 min window (0 = off). */
  public int attemptsPer15min() {
    return mutationLimiter.perLongWindow();
  }

  /**
   * Forgets every created key, every count, the counted attempts and the rate-limit bucket; keeps console keys (which
   * become active again), limits, rules and faults.
   */
  public void reset() {
    state.reset();
    stats.reset();
    rateLimiter.reset();
    mutationLimiter.reset();
  }

  /** Stops the server. */
  @Override
  public void close() {
    server.close();
  }
}
