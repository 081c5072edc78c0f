package dev.apikeyoperator.bench;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * When each ApiKey of a namespace first became Ready (KeyReady), from a watch on the mock API server (so the
 * timestamp is the moment the status write was visible, not a poll period later), with a list as fallback.
 */
final class ReadyTracker implements AutoCloseable {
  private final World world;
  private final String ns;
  private final Map<String, CompletableFuture<Long>> ready = new ConcurrentHashMap<>();
  private final AtomicLong count = new AtomicLong();
  private final AtomicLong last = new AtomicLong();
  private volatile Watch watch;

  ReadyTracker(World world, String ns) {
    this.world = world;
    this.ns = ns;
    open();
  }

  private void open() {
    watch = world.apiKeys().inNamespace(ns).watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, GenericKubernetesResource r) {
        if (World.isReady(r)) {
          mark(r.getMetadata().getName(), System.nanoTime());
        }
      }

      @Override
      public void onClose(WatcherException cause) {
        System.err.println("[bench] watch on " + ns + " closed: " + cause + "; reopening");
        open();
      }
    });
  }

  private void mark(String name, long nanos) {
    if (future(name).complete(nanos)) {
      count.incrementAndGet();
      last.accumulateAndGet(nanos, Math::max);
    }
  }

  private CompletableFuture<Long> future(String name) {
    return ready.computeIfAbsent(name, n -> new CompletableFuture<>());
  }

  /** Lists the namespace and marks what the watch may have missed (timestamp: now). */
  void poll() {
    long now = System.nanoTime();
    for (GenericKubernetesResource r : world.apiKeys().inNamespace(ns).list().getItems()) {
      if (World.isReady(r)) {
        mark(r.getMetadata().getName(), now);
      }
    }
  }

  /** Waits until {@code n} ApiKeys are Ready, logging progress every 10 s; throws when the operator exits. */
  void awaitCount(int n, Duration max, OperatorProcess op) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    long lastLog = System.nanoTime();
    long lastPoll = System.nanoTime();
    while (count() < n) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(ns + ": only " + count() + " of " + n + " Ready within " + max);
      }
      if (!op.process.isAlive()) {
        throw new IllegalStateException("the operator exited; see " + op.log);
      }
      if (System.nanoTime() - lastPoll > Duration.ofSeconds(10).toNanos()) {
        poll(); // in case the watch missed an event
        lastPoll = System.nanoTime();
      }
      if (System.nanoTime() - lastLog > Duration.ofSeconds(10).toNanos()) {
        Bench.log("%s: %d of %d Ready; operator CPU %.1f s, RSS %.0f MiB", ns, count(), n, op.cpuSeconds(),
            op.rssMiB());
        lastLog = System.nanoTime();
      }
      Thread.sleep(20);
    }
  }

  long count() {
    return count.get();
  }

  long lastReadyNanos() {
    return last.get();
  }

  /** nanoTime at which {@code name} became Ready; throws when it does not within {@code max}. */
  long await(String name, Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    CompletableFuture<Long> f = future(name);
    while (true) {
      try {
        return f.get(1, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(ns + "/" + name + " was not Ready within " + max);
        }
        poll();
      } catch (ExecutionException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  @Override
  public void close() {
    Watch w = watch;
    watch = null;
    if (w != null) {
      w.close();
    }
  }
}
