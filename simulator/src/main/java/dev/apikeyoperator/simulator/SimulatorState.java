package dev.apikeyoperator.simulator;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** The simulator's data: projects, environments, credentials and keys. Thread-safe (one lock). */
final class SimulatorState {

  /** A project ("workspace") and its environments. */
  record Project(String id, String name, List<Environment> environments) {
    Environment environment(String envId) {
      return environments.stream().filter(e -> e.id().equals(envId)).findFirst().orElse(null);
    }
  }

  /** An environment of a project. */
  record Environment(String id, String name, boolean production) {}

  /**
   * Something that may call the API: a seeded token or an active admin key. A null workspaceId means global scope;
   * a workspace with no environments means project scope; otherwise environment scope.
   */
  record Credential(String token, Set<String> roles, String workspaceId, Set<String> environmentIds,
                    String principalType, String principalId) {
    boolean isGlobal() {
      return workspaceId == null;
    }

    boolean isEnvironmentScoped() {
      return workspaceId != null && !environmentIds.isEmpty();
    }

    boolean hasAllGranted() {
      return roles.contains(Roles.API_ALL_GRANTED);
    }

    /** The roles the vendor wants for {@code GET /workspaces} and {@code GET /environments/ws/{id}}. */
    boolean mayRead() {
      return roles.contains(Roles.API_ALL_GRANTED) || roles.contains(Roles.API_ADMIN)
          || roles.contains(Roles.API_WORKSPACE_ADMIN);
    }

    boolean mayManageKeys() {
      return roles.contains(Roles.API_ALL_GRANTED) || roles.contains(Roles.API_APIKEY);
    }
  }

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] KEY_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

  private final Object lock = new Object();
  private final String organizationId = UUID.randomUUID().toString();
  private final Map<String, Project> projectsByName = new LinkedHashMap<>();
  private final Map<String, Project> projectsById = new HashMap<>();
  private final Map<String, Credential> seededCredentials = new ConcurrentHashMap<>();
  private final List<SimKey> keys = new ArrayList<>();
  private final Map<String, Integer> keyIndexById = new HashMap<>();
  private final Map<String, Integer> keyIndexByValue = new HashMap<>();
  private int createCount;
  private volatile boolean harnessMigrated;

  String organizationId() {
    return organizationId;
  }

  /** True when the account moved to Harness: admin keys can no longer be created through the Admin API. */
  boolean harnessMigrated() {
    return harnessMigrated;
  }

  void harnessMigrated(boolean migrated) {
    this.harnessMigrated = migrated;
  }

  // ---------------------------------------------------------------- projects

  Project addProject(String name, List<String> environmentNames) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("project name is required");
    }
    synchronized (lock) {
      if (projectsByName.containsKey(name)) {
        throw new IllegalArgumentException("project already exists: " + name);
      }
      List<Environment> envs = new ArrayList<>();
      for (String envName : environmentNames == null ? List.<String>of() : environmentNames) {
        if (envs.stream().anyMatch(e -> e.name().equals(envName))) {
          throw new IllegalArgumentException("duplicate environment " + envName + " in project " + name);
        }
        envs.add(new Environment(UUID.randomUUID().toString(), envName,
            envName.toLowerCase(Locale.ROOT).startsWith("prod")));
      }
      Project p = new Project(UUID.randomUUID().toString(), name, List.copyOf(envs));
      projectsByName.put(name, p);
      projectsById.put(p.id(), p);
      return p;
    }
  }

  List<Project> projects() {
    synchronized (lock) {
      return List.copyOf(projectsByName.values());
    }
  }

  Project projectByName(String name) {
    synchronized (lock) {
      return projectsByName.get(name);
    }
  }

  Project projectById(String id) {
    synchronized (lock) {
      return projectsById.get(id);
    }
  }

  // ---------------------------------------------------------------- credentials

  void addCredential(String token, List<String> roles, String workspaceId, List<String> environmentIds) {
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException("token is required");
    }
    List<String> r = roles == null || roles.isEmpty() ? List.of(Roles.API_ALL_GRANTED) : roles;
    for (String role : r) {
      if (!Roles.ALL.contains(role)) {
        throw new IllegalArgumentException("unknown role: " + role);
      }
    }
    List<String> envs = environmentIds == null ? List.of() : environmentIds;
    if (workspaceId == null && !envs.isEmpty()) {
      throw new IllegalArgumentException("environment ids need a workspace id");
    }
    if (workspaceId != null) {
      Project p = projectById(workspaceId);
      if (p == null) {
        throw new IllegalArgumentException("unknown workspace id: " + workspaceId);
      }
      for (String e : envs) {
        if (p.environment(e) == null) {
          throw new IllegalArgumentException("environment " + e + " is not in workspace " + workspaceId);
        }
      }
    }
    seededCredentials.put(token, new Credential(token, Set.copyOf(r), workspaceId, Set.copyOf(envs),
        "user", UUID.randomUUID().toString()));
  }

  boolean hasSeededCredential(String token) {
    return seededCredentials.containsKey(token);
  }

  /** The credential for a token: a seeded one, or an active admin key. Null when unknown or revoked. */
  Credential credential(String token) {
    if (token == null || token.isEmpty()) {
      return null;
    }
    Credential seeded = seededCredentials.get(token);
    if (seeded != null) {
      return seeded;
    }
    synchronized (lock) {
      Integer i = keyIndexByValue.get(token);
      if (i == null) {
        return null;
      }
      SimKey k = keys.get(i);
      if (!k.active() || !"admin".equals(k.type())) {
        return null;
      }
      return new Credential(token, Set.copyOf(k.roles()), k.workspaceId(), Set.copyOf(k.environmentIds()),
          "api_key", k.id());
    }
  }

  // ---------------------------------------------------------------- keys

  SimKey createKey(String name, String type, String workspaceId, List<String> environmentIds, List<String> roles) {
    synchronized (lock) {
      String id;
      do {
        id = UUID.randomUUID().toString();
      } while (keyIndexById.containsKey(id));
      String value;
      do {
        value = randomKeyValue();
      } while (keyIndexByValue.containsKey(value) || seededCredentials.containsKey(value));
      SimKey k = new SimKey(name, id, value, type, workspaceId, environmentIds, roles, true,
          Instant.ofEpochMilli(System.currentTimeMillis()), null);
      keys.add(k);
      keyIndexById.put(id, keys.size() - 1);
      keyIndexByValue.put(value, keys.size() - 1);
      createCount++;
      return k;
    }
  }

  /** Revokes the active key with this id or key value; null when unknown or already revoked. */
  SimKey revoke(String idOrKey) {
    synchronized (lock) {
      Integer i = keyIndexById.get(idOrKey);
      if (i == null) {
        i = keyIndexByValue.get(idOrKey);
      }
      if (i == null) {
        return null;
      }
      SimKey k = keys.get(i);
      if (!k.active()) {
        return null;
      }
      SimKey revoked = new SimKey(k.name(), k.id(), k.key(), k.type(), k.workspaceId(), k.environmentIds(),
          k.roles(), false, k.createdAt(), Instant.now());
      keys.set(i, revoked);
      return revoked;
    }
  }

  List<SimKey> keys() {
    synchronized (lock) {
      return List.copyOf(keys);
    }
  }

  int createCount() {
    synchronized (lock) {
      return createCount;
    }
  }

  void resetKeys() {
    synchronized (lock) {
      keys.clear();
      keyIndexById.clear();
      keyIndexByValue.clear();
      createCount = 0;
    }
  }

  private static String randomKeyValue() {
    char[] c = new char[36];
    for (int i = 0; i < c.length; i++) {
      c[i] = KEY_ALPHABET[RANDOM.nextInt(KEY_ALPHABET.length)];
    }
    return new String(c);
  }
}
