package dev.apikeyoperator.bench;

import dev.apikeyoperator.simulator.FmeSimulator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The vendor's create calls over time, sampled from the simulator's counts every 10 ms: when the first
 * {@code POST /apiKeys} arrived and how many answers were 429 in the first second after it.
 */
final class CreateTimeline implements AutoCloseable {
  private record Sample(long nanos, int posts, int throttled) {}

  private final FmeSimulator simulator;
  private final int posts0;
  private final int throttled0;
  private final List<Sample> samples = new ArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;

  CreateTimeline(FmeSimulator simulator) {
    this.simulator = simulator;
    Sample s = sample();
    posts0 = s.posts;
    throttled0 = s.throttled;
    thread = new Thread(() -> {
      while (running) {
        Sample x = sample();
        synchronized (samples) {
          samples.add(x);
        }
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "create-timeline");
    thread.setDaemon(true);
    thread.start();
  }

  private Sample sample() {
    int posts = 0;
    int throttled = 0;
    for (Map.Entry<String, Integer> e : simulator.requestCounts().entrySet()) {
      if (e.getKey().startsWith("POST /apiKeys")) {
        posts += e.getValue();
        if (e.getKey().endsWith(" 429")) {
          throttled += e.getValue();
        }
      }
    }
    return new Sample(System.nanoTime(), posts, throttled);
  }

  /** nanoTime of the first sample that saw a create call (±10 ms); -1 when none. */
  long firstCreateNanos() {
    synchronized (samples) {
      return samples.stream().filter(s -> s.posts > posts0).mapToLong(Sample::nanos).findFirst().orElse(-1);
    }
  }

  /** 429 answers to creates within the first second after the first create call. */
  int throttledInFirstSecond() {
    long first = firstCreateNanos();
    if (first < 0) {
      return 0;
    }
    synchronized (samples) {
      int at = throttled0;
      for (Sample s : samples) {
        if (s.nanos > first + 1_000_000_000L) {
          break;
        }
        at = s.throttled;
      }
      return at - throttled0;
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.join(1000);
  }
}
