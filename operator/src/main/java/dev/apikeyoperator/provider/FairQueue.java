package dev.apikeyoperator.provider;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * The callers waiting for one provider's pace, in fair order across tenants (namespaces): start-time fair
 * queueing. Each waiter gets a tag one past the later of its tenant's last tag and the tag last served, and waiters
 * are served by tag; so a tenant that queued 500 calls gets one turn in each round like a tenant that queued one,
 * and a newcomer waits for one round, not for the whole backlog. Not thread-safe: {@link Throttle} holds its lock.
 */
final class FairQueue {
  /** A waiter that has not come back this long after its turn was due gave up (its ApiKey is gone, say). */
  static final Duration GIVE_UP_AFTER = Duration.ofSeconds(30);

  private record Waiter(String tenant, String who, long tag, long seq) {}

  private final TreeSet<Waiter> order = new TreeSet<>(Comparator.comparingLong(Waiter::tag)
      .thenComparingLong(Waiter::seq));
  private final Map<String, Waiter> byWho = new HashMap<>();
  private final Map<String, Instant> dueAt = new HashMap<>();
  private final Map<String, Long> lastTag = new HashMap<>();
  private long servedTag;
  private long seq;

  boolean isEmpty() {
    return order.isEmpty();
  }

  /** The place of {@code who} in the fair order (0: next), queueing it on its first ask. */
  int position(String tenant, String who, Instant now) {
    forgetGivenUp(now);
    Waiter w = byWho.get(who);
    if (w == null) {
      long tag = Math.max(servedTag, lastTag.getOrDefault(tenant, 0L)) + 1;
      lastTag.put(tenant, tag);
      w = new Waiter(tenant, who, tag, seq++);
      order.add(w);
      byWho.put(who, w);
    }
    return order.headSet(w).size();
  }

  /**
   * Whether {@code who} may take a free permit now: every waiter before it is late (its turn came more than
   * {@code slack} ago and it has not taken it), so a waiter that is slow to come back does not stall the rest. A
   * waiter back at its own turn also goes before the waiters of its own tenant ahead of it (any of the tenant's calls
   * is the tenant's turn), instead of being sent away for another round because one of them is a moment late; a
   * newcomer, whose turn has not come, never does.
   */
  boolean mayGo(String who, Instant now, Duration slack) {
    Waiter w = byWho.get(who);
    Instant due = dueAt.get(who);
    boolean atItsTurn = due != null && !now.isBefore(due);
    for (Waiter ahead : order.headSet(w)) {
      if (atItsTurn && ahead.tenant().equals(w.tenant())) {
        continue;
      }
      Instant aheadDue = dueAt.get(ahead.who());
      if (aheadDue == null || now.isBefore(aheadDue.plus(slack))) {
        return false;
      }
    }
    return true;
  }

  /** {@code who} was told to come back at {@code at}. */
  void due(String who, Instant at) {
    if (byWho.containsKey(who)) {
      dueAt.put(who, at);
    }
  }

  /** {@code who} took its permit: it leaves the queue, and the round moves on. */
  void served(String who) {
    Waiter w = byWho.remove(who);
    if (w != null) {
      order.remove(w);
      dueAt.remove(who);
      servedTag = Math.max(servedTag, w.tag());
      if (order.stream().noneMatch(o -> o.tenant().equals(w.tenant())) && lastTag.get(w.tenant()) <= servedTag) {
        lastTag.remove(w.tenant());
      }
    }
  }

  private void forgetGivenUp(Instant now) {
    Instant cutoff = now.minus(GIVE_UP_AFTER);
    dueAt.entrySet().removeIf(e -> {
      if (e.getValue().isBefore(cutoff)) {
        Waiter w = byWho.remove(e.getKey());
        order.remove(w);
        return true;
      }
      return false;
    });
  }
}
