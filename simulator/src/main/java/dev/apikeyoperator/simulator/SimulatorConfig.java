package dev.apikeyoperator.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Start-up settings of an {@link FmeSimulator}: port, seed data (projects with environments, admin credentials),
 * the primary admin token and the initial faults. Simple mutable object with fluent setters.
 *
 * <p>Defaults: port 8090, admin token {@code sim-admin-token} (API_ALL_GRANTED, global scope), projects
 * {@code Default} and {@code Shop}, each with environments {@code Production} and {@code Staging}.
 */
public final class SimulatorConfig {

  /** The default admin token. */
  public static final String DEFAULT_ADMIN_TOKEN = "sim-admin-token";

  /** A seeded project: a name and its environment names. */
  public record ProjectSeed(String name, List<String> environments) {
    public ProjectSeed {
      Objects.requireNonNull(name, "project name");
      environments = environments == null ? List.of() : List.copyOf(environments);
    }
  }

  /** A seeded global-scope credential (a token with roles). */
  public record CredentialSeed(String token, List<String> roles) {
    public CredentialSeed {
      Objects.requireNonNull(token, "token");
      roles = roles == null || roles.isEmpty() ? List.of(Roles.API_ALL_GRANTED) : List.copyOf(roles);
    }
  }

  private int port = 8090;
  private String adminToken = DEFAULT_ADMIN_TOKEN;
  private final List<CredentialSeed> extraCredentials = new ArrayList<>();
  private List<ProjectSeed> projects;
  private final Faults faults = new Faults();
  private final FmeRules rules = new FmeRules();
  private boolean harnessMigrated;

  /** A configuration with every default. */
  public static SimulatorConfig defaults() {
    return new SimulatorConfig();
  }

  /**
   * A default configuration whose seed data is replaced by a seed file
   * {@code {"adminTokens":[{"token","roles":[...]}], "projects":[{"name","environments":[...]}]}}.
   */
  public static SimulatorConfig fromSeedFile(Path seedFile) throws IOException {
    return new SimulatorConfig().loadSeed(seedFile);
  }

  /**
   * Replaces the seed data with the content of a seed file. When the file lists {@code adminTokens}, they replace
   * the default admin token: the first one holding API_ALL_GRANTED (else the first one) becomes {@link #adminToken()}.
   * When it lists {@code projects}, they replace the default projects.
   */
  public SimulatorConfig loadSeed(Path seedFile) throws IOException {
    JsonNode root = new ObjectMapper().readTree(Files.readAllBytes(seedFile));
    if (root == null || !root.isObject()) {
      throw new IOException("seed file must hold a JSON object: " + seedFile);
    }
    JsonNode tokens = root.path("adminTokens");
    if (tokens.isArray() && !tokens.isEmpty()) {
      List<CredentialSeed> seeds = new ArrayList<>();
      for (JsonNode t : tokens) {
        String token = t.path("token").asText(null);
        if (token == null || token.isBlank()) {
          throw new IOException("seed adminTokens entry without a token");
        }
        seeds.add(new CredentialSeed(token, textList(t.path("roles"))));
      }
      CredentialSeed primary = seeds.stream()
          .filter(s -> s.roles().contains(Roles.API_ALL_GRANTED))
          .findFirst()
          .orElse(seeds.get(0));
      adminToken = primary.token();
      // the primary keeps its own roles: register it as an extra credential with those roles
      extraCredentials.clear();
      extraCredentials.addAll(seeds);
    }
    JsonNode ps = root.path("projects");
    if (ps.isArray()) {
      List<ProjectSeed> list = new ArrayList<>();
      for (JsonNode p : ps) {
        String name = p.path("name").asText(null);
        if (name == null || name.isBlank()) {
          throw new IOException("seed projects entry without a name");
        }
        list.add(new ProjectSeed(name, textList(p.path("environments"))));
      }
      projects = list;
    }
    return this;
  }

  private static List<String> textList(JsonNode node) {
    List<String> out = new ArrayList<>();
    if (node.isArray()) {
      for (JsonNode n : node) {
        out.add(n.isObject() ? n.path("name").asText() : n.asText());
      }
    }
    return out;
  }

  public int port() {
    return port;
  }

  /** The port to bind on 127.0.0.1; 0 picks a free ephemeral port. */
  public SimulatorConfig port(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    this.port = port;
    return this;
  }

  public String adminToken() {
    return adminToken;
  }

  /** The primary admin token (API_ALL_GRANTED, global scope unless a seeded credential with that token says otherwise). */
  public SimulatorConfig adminToken(String adminToken) {
    this.adminToken = Objects.requireNonNull(adminToken, "adminToken");
    return this;
  }

  /** Additional global-scope credentials (besides the primary admin token). */
  public List<CredentialSeed> credentials() {
    return List.copyOf(extraCredentials);
  }

  /** Adds a global-scope credential with the given roles. */
  public SimulatorConfig credential(String token, List<String> roles) {
    extraCredentials.add(new CredentialSeed(token, roles));
    return this;
  }

  /** The seeded projects (the defaults when none were set). */
  public List<ProjectSeed> projects() {
    if (projects == null) {
      return List.of(
          new ProjectSeed("Default", List.of("Production", "Staging")),
          new ProjectSeed("Shop", List.of("Production", "Staging")));
    }
    return List.copyOf(projects);
  }

  /** Replaces the seeded projects (an empty list means no projects at all). */
  public SimulatorConfig projects(List<ProjectSeed> projects) {
    this.projects = new ArrayList<>(projects);
    return this;
  }

  /** Adds a project; the first call replaces the default projects. */
  public SimulatorConfig project(String name, String... environments) {
    if (projects == null) {
      projects = new ArrayList<>();
    }
    projects.add(new ProjectSeed(name, List.of(environments)));
    return this;
  }

  /** The initial faults; mutate them before {@link FmeSimulator#start(SimulatorConfig)}. */
  public Faults faults() {
    return faults;
  }

  /** The initial vendor rules (strict by default); mutate them before {@link FmeSimulator#start(SimulatorConfig)}. */
  public FmeRules rules() {
    return rules;
  }

  public boolean harnessMigrated() {
    return harnessMigrated;
  }

  /**
   * Whether the account has moved to Harness (default false): {@code POST /apiKeys} with {@code apiKeyType: admin}
   * then answers 403 and creates nothing; server_side and client_side keys still work.
   */
  public SimulatorConfig harnessMigrated(boolean harnessMigrated) {
    this.harnessMigrated = harnessMigrated;
    return this;
  }
}
