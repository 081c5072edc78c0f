package dev.apikeyoperator.simulator;

import dev.apikeyoperator.simulator.SimulatorState.Environment;
import dev.apikeyoperator.simulator.SimulatorState.Project;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stateful, in-process fake of the Harness FME (Split) Admin API, served on 127.0.0.1 under
 * {@code /internal/api/v2}, with control endpoints under {@code /__simulator}. Thread-safe.
 *
 * <pre>{@code
 * try (FmeSimulator sim = FmeSimulator.start(SimulatorConfig.defaults().port(0))) {
 *   String base = sim.baseUrl();          // http://127.0.0.1:<port>/internal/api/v2
 *   String token = sim.adminToken();      // API_ALL_GRANTED, global scope
 *   sim.faults().setRateLimitPerSecond(3);
 *   sim.rules().setReadRolesRequired(false);   // a leniency: any credential may look names up
 * }
 * }</pre>
 */
public final class FmeSimulator implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(FmeSimulator.class);

  private final SimulatorState state;
  private final Faults faults;
  private final FmeRules rules;
  private final RateLimiter rateLimiter;
  private final RequestStats stats = new RequestStats();
  private final String adminToken;
  private final EmbeddedHttpServer server;
  private final AdminApiHandler api;
  private final ControlHandler control;

  private FmeSimulator(SimulatorConfig config) throws IOException {
    this.state = new SimulatorState();
    this.faults = new Faults().copyFrom(config.faults());
    this.rules = new FmeRules().copyFrom(config.rules());
    this.rateLimiter = new RateLimiter(faults);
    for (SimulatorConfig.ProjectSeed p : config.projects()) {
      state.addProject(p.name(), p.environments());
    }
    for (SimulatorConfig.CredentialSeed c : config.credentials()) {
      state.addCredential(c.token(), c.roles(), null, List.of());
    }
    state.harnessMigrated(config.harnessMigrated());
    this.adminToken = config.adminToken();
    if (!state.hasSeededCredential(adminToken)) {
      state.addCredential(adminToken, List.of(Roles.API_ALL_GRANTED), null, List.of());
    }
    this.api = new AdminApiHandler(state, faults, rules, rateLimiter, stats);
    this.control = new ControlHandler(this, state);

    this.server = new EmbeddedHttpServer("fme-sim", config.port(),
        Map.of(AdminApiHandler.PREFIX, api::handle, AbstractControlHandler.PREFIX, control::handle),
        HttpReplies::error);
    LOG.debug("FME simulator started on port {}", port());
  }

  /** Starts a simulator (port 0 = ephemeral) bound to 127.0.0.1. */
  public static FmeSimulator start(SimulatorConfig config) {
    try {
      return new FmeSimulator(config);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the FME simulator on port " + config.port(), e);
    }
  }

  /** The bound port. */
  public int port() {
    return server.port();
  }

  /** {@code http://127.0.0.1:<port>/internal/api/v2}. */
  public String baseUrl() {
    return server.url(AdminApiHandler.PREFIX);
  }

  /** {@code http://127.0.0.1:<port>/__simulator}. */
  public String controlUrl() {
    return server.url(AbstractControlHandler.PREFIX);
  }

  /** The default seeded admin credential (API_ALL_GRANTED, global scope). */
  public String adminToken() {
    return adminToken;
  }

  /** Live, mutable fault settings. */
  public Faults faults() {
    return faults;
  }

  /** Live vendor rules: strict by default, each leniency a switch (see simulator/README.md). */
  public FmeRules rules() {
    return rules;
  }

  /** Every key ever created (active and revoked), in creation order. */
  public List<SimKey> keys() {
    return state.keys();
  }

  /** The active keys, in creation order. */
  public List<SimKey> activeKeys() {
    return state.keys().stream().filter(SimKey::active).toList();
  }

  /** Number of keys actually created (including creates whose response was dropped). */
  public int createCount() {
    return state.createCount();
  }

  /** Request counts by "METHOD /operation status", e.g. "POST /apiKeys 201", "POST /apiKeys dropped". */
  public Map<String, Integer> requestCounts() {
    return stats.snapshot();
  }

  /**
   * Adds a credential (an admin token) with the given roles (empty = API_ALL_GRANTED) and scope: a null workspaceId is
   * global; a workspace with no environments is project scope; otherwise environment scope.
   */
  public void addCredential(String token, List<String> roles, String workspaceId, List<String> environmentIds) {
    state.addCredential(token, roles, workspaceId, environmentIds);
  }

  /** Adds a project with environments; ids are generated. */
  public void addProject(String name, List<String> environmentNames) {
    state.addProject(name, environmentNames);
  }

  /** The id of the named project; throws IllegalArgumentException when unknown. */
  public String projectId(String name) {
    Project p = state.projectByName(name);
    if (p == null) {
      throw new IllegalArgumentException("unknown project: " + name);
    }
    return p.id();
  }

  /** The id of the named environment of the named project; throws IllegalArgumentException when unknown. */
  public String environmentId(String projectName, String envName) {
    Project p = state.projectByName(projectName);
    if (p == null) {
      throw new IllegalArgumentException("unknown project: " + projectName);
    }
    return p.environments().stream()
        .filter(e -> e.name().equals(envName))
        .map(Environment::id)
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown environment " + envName + " in " + projectName));
  }

  /** The organization id reported in create responses. */
  public String organizationId() {
    return state.organizationId();
  }

  /**
   * Switches "migrated to Harness" mode at runtime: when true, creating an {@code admin} key answers 403
   * {@code {"code":403,"message":"Admin API keys are managed by Harness for this account: ..."}} and creates nothing;
   * server_side and client_side keys, deletes and lookups are unaffected. Not changed by {@link #reset()}.
   */
  public void setHarnessMigrated(boolean migrated) {
    state.harnessMigrated(migrated);
  }

  /** Whether "migrated to Harness" mode is on. */
  public boolean isHarnessMigrated() {
    return state.harnessMigrated();
  }

  /** Forgets every key and every count (and the rate-limit bucket); keeps seed data, credentials and faults. */
  public void reset() {
    state.resetKeys();
    stats.reset();
    rateLimiter.reset();
  }

  /** Stops the server. */
  @Override
  public void close() {
    server.close();
  }
}
