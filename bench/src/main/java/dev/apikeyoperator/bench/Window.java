package dev.apikeyoperator.bench;

import java.util.List;
import java.util.Map;

/**
 * What the mock API server and the vendor (simulator) served over one scenario's window, with the benchmark JVM's
 * own CPU (the mock and the simulator run in it), and whether the mock rather than the operator was the limit.
 */
final class Window {
  private static final List<String> WRITES = List.of("POST", "PUT", "PATCH", "DELETE");

  private final World world;
  private final long t0 = System.nanoTime();
  private final Map<String, Long> mock0;
  private final Map<String, Integer> sim0;
  private final double benchCpu0 = Bench.ownCpuSeconds();
  private double seconds;
  private Map<String, Long> mock;
  private Map<String, Integer> sim;
  private double benchCpu;

  private Window(World world) {
    this.world = world;
    mock0 = world.dispatcher.snapshot();
    sim0 = world.simulator.requestCounts();
  }

  static Window open(World world) {
    return new Window(world);
  }

  /** Ends the window (counts are frozen from here on); returns this. */
  Window close() {
    seconds = Bench.secondsSince(t0);
    mock = World.CountingDispatcher.delta(world.dispatcher.snapshot(), mock0);
    sim = World.delta(world.simulator.requestCounts(), sim0);
    benchCpu = Bench.ownCpuSeconds() - benchCpu0;
    return this;
  }

  Map<String, Long> mock() {
    return mock;
  }

  Map<String, Integer> vendor() {
    return sim;
  }

  long mockRequests() {
    return mock.entrySet().stream().filter(e -> !e.getKey().startsWith("WATCH")).mapToLong(Map.Entry::getValue)
        .sum();
  }

  double mockPerSecond() {
    return mockRequests() / seconds;
  }

  /** Writes of any kind (POST, PUT, PATCH, DELETE) to the mock in the window. */
  long mockWrites() {
    return mock.entrySet().stream().filter(e -> WRITES.contains(e.getKey().split(" ")[0]))
        .mapToLong(Map.Entry::getValue).sum();
  }

  int vendorCalls() {
    return sim.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** Vendor answers whose "METHOD /path code" key starts with {@code prefix} and ends with {@code code}. */
  int vendor(String prefix, String code) {
    return sim.entrySet().stream().filter(e -> e.getKey().startsWith(prefix) && e.getKey().endsWith(code))
        .mapToInt(Map.Entry::getValue).sum();
  }

  /** True when the mock served at least 70 % of the request rate it managed alone at this store size. */
  boolean mockWasTheLimit() {
    return world.capacityPerSecond > 0 && mockPerSecond() >= 0.7 * world.capacityPerSecond;
  }

  /** "1234 requests in 12.3 s = 100/s (capacity ≈ 300/s at 30 000 objects): not the limit" */
  String mockSummary() {
    return Bench.f("%d requests in %.1f s = %.0f/s (the mock alone: %.0f/s at %d objects); %s", mockRequests(),
        seconds, mockPerSecond(), world.capacityPerSecond, world.mock.storedResources(),
        mockWasTheLimit() ? "**the mock was the limit**" : "not the limit");
  }

  /** The counts, for the Details. */
  String describe() {
    return Bench.f("mock API server: %s; bench JVM (mock + simulator) CPU %.1f s%n  mock requests: %s%n"
        + "  vendor (simulator) calls: %s", mockSummary(), benchCpu, mock, sim);
  }
}
