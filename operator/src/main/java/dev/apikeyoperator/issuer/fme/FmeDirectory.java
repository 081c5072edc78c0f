package dev.apikeyoperator.issuer.fme;

import dev.apikeyoperator.issuer.NameNotFoundException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Per-provider cache of project and environment names and ids, so that resolving names is not a vendor call
 * per key.
 *
 * <p>Entries are refetched when older than {@code ttl}. On a miss, a cache older than {@code minRefreshInterval}
 * (default 30 s, never more than {@code ttl}) is refetched once before failing: a project created a minute ago is
 * found without a restart, while a burst of keys naming an unknown project causes at most one refetch per interval.
 *
 * <p>Thread-safe; lookups of one directory are serialized, so concurrent misses share one fetch.
 */
public final class FmeDirectory {

  public static final Duration DEFAULT_MIN_REFRESH_INTERVAL = Duration.ofSeconds(30);

  private final Duration ttl;
  private final Duration minRefreshInterval;
  private final Clock clock;

  private Snapshot<FmeWorkspace> workspaces;
  /** Per workspace of one provider: the vendor's names and ids, which nothing in the cluster holds. */
  private final Map<String, Snapshot<FmeEnvironment>> environments = new HashMap<>();

  public FmeDirectory(Duration ttl, Clock clock) {
    this(ttl, ttl == null || ttl.compareTo(DEFAULT_MIN_REFRESH_INTERVAL) >= 0 ? DEFAULT_MIN_REFRESH_INTERVAL : ttl, clock);
  }

  public FmeDirectory(Duration ttl, Duration minRefreshInterval, Clock clock) {
    this.ttl = Objects.requireNonNull(ttl, "ttl");
    this.minRefreshInterval = Objects.requireNonNull(minRefreshInterval, "minRefreshInterval");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (ttl.isNegative() || minRefreshInterval.isNegative()) {
      throw new IllegalArgumentException("ttl and minRefreshInterval must not be negative");
    }
  }

  /**
   * Resolves a project by id or by name (exactly one non-null). By id, the id must be among the projects the
   * credential can see; by name, the match is exact and case-sensitive.
   *
   * @throws NameNotFoundException kind {@code "project"}
   */
  public synchronized FmeWorkspace resolveProject(FmeClient client, String id, String name) {
    Objects.requireNonNull(client, "client");
    requireExactlyOne(id, name, "project");
    FmeWorkspace found =
        lookup(
            () -> workspaces,
            s -> workspaces = s,
            client::listWorkspaces,
            id,
            name,
            FmeWorkspace::id,
            FmeWorkspace::name);
    if (found == null) {
      throw notFound("project", id, name, workspaces.items(), FmeWorkspace::id, FmeWorkspace::name, "");
    }
    return found;
  }

  /**
   * Resolves an environment of {@code ws} by id or by name (exactly one non-null), with the same rules as
   * {@link #resolveProject}; environments are cached per project id.
   *
   * @throws NameNotFoundException kind {@code "environment"}
   */
  public synchronized FmeEnvironment resolveEnvironment(FmeClient client, FmeWorkspace ws, String id, String name) {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(ws, "ws");
    requireExactlyOne(id, name, "environment");
    String wsId = ws.id();
    FmeEnvironment found =
        lookup(
            () -> environments.get(wsId),
            s -> environments.put(wsId, s),
            () -> client.listEnvironments(wsId),
            id,
            name,
            FmeEnvironment::id,
            FmeEnvironment::name);
    if (found == null) {
      String where = " in project \"" + ws.name() + "\" (id " + wsId + ")";
      throw notFound(
          "environment", id, name, environments.get(wsId).items(), FmeEnvironment::id, FmeEnvironment::name, where);
    }
    return found;
  }

  /** Forgets everything: the next resolution fetches again. */
  public synchronized void invalidate() {
    workspaces = null;
    environments.clear();
  }

  // ----------------------------------------------------------------

  private <T> T lookup(
      Supplier<Snapshot<T>> get,
      java.util.function.Consumer<Snapshot<T>> put,
      Supplier<List<T>> fetch,
      String id,
      String name,
      Function<T, String> idOf,
      Function<T, String> nameOf) {
    Instant now = clock.instant();
    Snapshot<T> snapshot = get.get();
    if (snapshot == null || !age(snapshot, now).minus(ttl).isNegative()) {
      snapshot = new Snapshot<>(List.copyOf(fetch.get()), now);
      put.accept(snapshot);
    }
    T found = find(snapshot.items(), id, name, idOf, nameOf);
    if (found == null && !age(snapshot, now).minus(minRefreshInterval).isNegative()) {
      snapshot = new Snapshot<>(List.copyOf(fetch.get()), now);
      put.accept(snapshot);
      found = find(snapshot.items(), id, name, idOf, nameOf);
    }
    return found;
  }

  private static Duration age(Snapshot<?> snapshot, Instant now) {
    return Duration.between(snapshot.fetchedAt(), now);
  }

  private static <T> T find(
      List<T> items, String id, String name, Function<T, String> idOf, Function<T, String> nameOf) {
    for (T item : items) {
      if (id != null ? id.equals(idOf.apply(item)) : name.equals(nameOf.apply(item))) {
        return item;
      }
    }
    return null;
  }

  /**
   * The names the credential can see are not listed: they may be other tenants' projects (docs/operations/rbac.md); only the
   * project the spec named, and where it was looked for, are.
   */
  private static <T> NameNotFoundException notFound(
      String kind,
      String id,
      String name,
      List<T> known,
      Function<T, String> idOf,
      Function<T, String> nameOf,
      String where) {
    String hint =
        " Check the spelling (names are case-sensitive) and that the provider's credential can see the " + kind + ".";
    String what = id != null ? kind + " with id \"" + id + "\"" : kind + " \"" + name + "\"";
    String among = known.isEmpty() ? "; no " + kind + "s are visible to the provider's credential."
        : " among the " + known.size() + " " + kind + "(s) the provider's credential can see.";
    return new NameNotFoundException(kind, id != null ? id : name, "FME " + what + " not found" + where + among
        + hint);
  }

  private static void requireExactlyOne(String id, String name, String kind) {
    if ((id == null) == (name == null)) {
      throw new IllegalArgumentException("a " + kind + " reference needs exactly one of id or name");
    }
  }

  private record Snapshot<T>(List<T> items, Instant fetchedAt) {}
}
