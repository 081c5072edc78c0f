package dev.apikeyoperator.simulator;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The Statsig simulator's data: seeded console keys (credentials) and keys created through the API. One lock. */
final class StatsigState {

  static final String SCOPE_CAN_ACCESS_KEYS = "can_access_keys";
  static final Set<String> TYPES = Set.of("SERVER", "CLIENT", "CONSOLE");

  /** Result of authenticating a {@code STATSIG-API-KEY}. */
  enum Auth { OK, UNKNOWN_OR_INACTIVE, MISSING_SCOPE }

  /** A seeded console key (not listed by the API). */
  private record Seeded(List<String> scopes, String status) {}

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] ALPHANUMERIC =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

  private final Object lock = new Object();
  private final Map<String, Seeded> seeded = new LinkedHashMap<>();
  private final Map<String, StatsigSimKey> keys = new LinkedHashMap<>(); // by value (= id), creation order
  private int createCount;

  static String prefix(String type) {
    return switch (type) {
      case "SERVER" -> "secret-";
      case "CLIENT" -> "client-";
      case "CONSOLE" -> "console-";
      default -> throw new IllegalArgumentException("unknown key type: " + type);
    };
  }

  // ---------------------------------------------------------------- credentials

  void addConsoleKey(String key, List<String> scopes) {
    if (key == null || key.isBlank()) {
      throw new IllegalArgumentException("console key is required");
    }
    List<String> s = scopes == null ? List.of() : List.copyOf(scopes);
    synchronized (lock) {
      if (keys.containsKey(key)) {
        throw new IllegalArgumentException("a key with this value already exists");
      }
      seeded.put(key, new Seeded(s, StatsigSimKey.ACTIVE));
    }
  }

  Auth authenticate(String token) {
    if (token == null || token.isEmpty()) {
      return Auth.UNKNOWN_OR_INACTIVE;
    }
    synchronized (lock) {
      List<String> scopes;
      Seeded s = seeded.get(token);
      if (s != null) {
        if (!StatsigSimKey.ACTIVE.equals(s.status())) {
          return Auth.UNKNOWN_OR_INACTIVE;
        }
        scopes = s.scopes();
      } else {
        StatsigSimKey k = keys.get(token);
        if (k == null || !k.isActive() || !"CONSOLE".equals(k.type())) {
          return Auth.UNKNOWN_OR_INACTIVE;
        }
        scopes = k.scopes();
      }
      return scopes.contains(SCOPE_CAN_ACCESS_KEYS) ? Auth.OK : Auth.MISSING_SCOPE;
    }
  }

  // ---------------------------------------------------------------- keys

  StatsigSimKey create(String type, String description, List<String> scopes, List<String> environments,
                       String targetApp, List<String> secondaryTargetApps) {
    synchronized (lock) {
      StatsigSimKey k = new StatsigSimKey(newValue(type), type, description, scopes, environments, targetApp,
          secondaryTargetApps, StatsigSimKey.ACTIVE, Instant.ofEpochMilli(System.currentTimeMillis()));
      keys.put(k.key(), k);
      createCount++;
      return k;
    }
  }

  private String newValue(String type) {
    String value;
    do {
      char[] c = new char[40];
      for (int i = 0; i < c.length; i++) {
        c[i] = ALPHANUMERIC[RANDOM.nextInt(ALPHANUMERIC.length)];
      }
      value = prefix(type) + new String(c);
    } while (keys.containsKey(value) || seeded.containsKey(value));
    return value;
  }

  /** The key with this id unless unknown or deleted. */
  StatsigSimKey visible(String id) {
    synchronized (lock) {
      StatsigSimKey k = keys.get(id);
      return k == null || k.isDeleted() ? null : k;
    }
  }

  /** Replaces a visible key with an updated copy (same value); null when unknown or deleted. */
  StatsigSimKey update(String id, java.util.function.UnaryOperator<StatsigSimKey> change) {
    synchronized (lock) {
      StatsigSimKey k = visible(id);
      if (k == null) {
        return null;
      }
      StatsigSimKey updated = change.apply(k);
      keys.put(id, updated);
      return updated;
    }
  }

  /** Rotates a visible key: the old one becomes deleted, a new one with the same settings and status is returned. */
  StatsigSimKey rotate(String id) {
    synchronized (lock) {
      StatsigSimKey old = visible(id);
      if (old == null) {
        return null;
      }
      keys.put(id, old.withStatus(StatsigSimKey.DELETED));
      StatsigSimKey fresh = new StatsigSimKey(newValue(old.type()), old.type(), old.description(), old.scopes(),
          old.environments(), old.targetApp(), old.secondaryTargetApps(), old.status(),
          Instant.ofEpochMilli(System.currentTimeMillis()));
      keys.put(fresh.key(), fresh);
      return fresh;
    }
  }

  /** Deactivates a visible key (idempotent); null when unknown or deleted. */
  StatsigSimKey deactivate(String id) {
    return update(id, k -> k.withStatus(StatsigSimKey.DEACTIVATED));
  }

  /** Deletes a visible key; null when unknown or already deleted. */
  StatsigSimKey delete(String id) {
    return update(id, k -> k.withStatus(StatsigSimKey.DELETED));
  }

  /**
   * Changes the status of any key, including seeded console keys, as someone in the Statsig console would. A deleted
   * key stays deleted. Throws IllegalArgumentException when the value is unknown.
   */
  void setStatusOutside(String key, String status) {
    synchronized (lock) {
      Seeded s = seeded.get(key);
      if (s != null) {
        if (!StatsigSimKey.DELETED.equals(s.status())) {
          seeded.put(key, new Seeded(s.scopes(), status));
        }
        return;
      }
      StatsigSimKey k = keys.get(key);
      if (k == null) {
        throw new IllegalArgumentException("unknown key");
      }
      if (!k.isDeleted()) {
        keys.put(key, k.withStatus(status));
      }
    }
  }

  List<StatsigSimKey> keys() {
    synchronized (lock) {
      return List.copyOf(keys.values());
    }
  }

  /** The keys the API lists (everything but deleted ones), in creation order. */
  List<StatsigSimKey> listed() {
    synchronized (lock) {
      List<StatsigSimKey> out = new ArrayList<>();
      for (StatsigSimKey k : keys.values()) {
        if (!k.isDeleted()) {
          out.add(k);
        }
      }
      return out;
    }
  }

  int createCount() {
    synchronized (lock) {
      return createCount;
    }
  }

  /** Forgets every created key; seeded console keys stay and become active again. */
  void reset() {
    synchronized (lock) {
      keys.clear();
      createCount = 0;
      seeded.replaceAll((k, s) -> new Seeded(s.scopes(), StatsigSimKey.ACTIVE));
    }
  }
}
