package dev.apikeyoperator.bench;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The mock API server's own pace at the store size a scenario uses: plain Secret creates and GETs from 4 client
 * threads, nothing else running, so a scenario's mock throughput can be set beside it ({@link Window}).
 */
final class MockCapacity {
  private MockCapacity() {}

  /**
   * Up to {@code n} creates, 50 label-selected lists, {@code n} GETs by name, each phase cut at {@code maxSeconds};
   * sets the world's capacity (the mean of creates/s and GETs/s).
   */
  static void measure(Bench bench, World world, String when, int n, double maxSeconds) throws Exception {
    String ns = bench.nextName("mock");
    world.mock.createNamespace(ns);
    int objects = world.mock.storedResources();
    StackSampler sampler = new StackSampler();
    double creates = phase(n, maxSeconds, i -> world.client.secrets().inNamespace(ns).resource(new SecretBuilder()
        .withNewMetadata().withName("s" + i).endMetadata().addToStringData("apiKey", "v" + i).build()).create());
    // a list by label: what the bench's and an informer's lists cost (the GETs by name are served by key, World)
    double lists = phase(Math.min(n, 50), maxSeconds, i -> world.client.secrets().inNamespace(ns)
        .withLabel("bench", "none").list());
    double gets = phase(n, maxSeconds, i -> world.client.secrets().inNamespace(ns).withName("s" + (i % 10)).get());
    String hot = sampler.stop();
    world.capacityPerSecond = (creates + gets) / 2;
    Bench.log("mock API server (%s, %d objects): %.0f Secret creates/s, %.0f lists/s, %.0f GETs/s; hot frames %s",
        when, objects, creates, lists, gets, hot);
    bench.report.info("Mock API server", Bench.f("its own pace %s (%d objects stored), 4 client threads", when,
        objects), Bench.f("%.0f Secret creates/s, %.0f label-selected lists/s, %.0f GETs by name/s", creates,
        lists, gets));
    bench.report.detail(Bench.f("Mock API server %s (%d objects): where its threads were (stack samples every 20 ms "
        + "of the bench JVM, innermost fabric8 frame): %s", when, objects, hot));
  }

  /** Samples the mock's threads' stacks and counts their innermost fabric8 mock frame. */
  private static final class StackSampler {
    private final java.util.Map<String, Integer> frames = new java.util.concurrent.ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private int samples;

    StackSampler() {
      thread = new Thread(() -> {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        while (running) {
          for (java.lang.management.ThreadInfo t : mx.dumpAllThreads(false, false)) {
            for (StackTraceElement e : t.getStackTrace()) {
              if (e.getClassName().startsWith("io.fabric8.kubernetes.client.server.mock")
                  || e.getClassName().startsWith("io.fabric8.mockwebserver.crud")) {
                frames.merge(e.getClassName().replaceAll(".*\\.", "") + "." + e.getMethodName(), 1, Integer::sum);
                samples++;
                break;
              }
            }
          }
          try {
            Thread.sleep(20);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "mock-stack-sampler");
      thread.setDaemon(true);
      thread.start();
    }

    /** The five most frequent frames with their share of the samples. */
    String stop() throws InterruptedException {
      running = false;
      thread.join(1000);
      int total = Math.max(1, samples);
      return frames.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(5)
          .map(e -> Bench.f("%s %.0f %%", e.getKey(), 100.0 * e.getValue() / total))
          .collect(java.util.stream.Collectors.joining(", ")) + Bench.f(" (%d samples)", samples);
    }
  }

  private static double phase(int n, double maxSeconds, java.util.function.IntConsumer request) throws Exception {
    AtomicInteger done = new AtomicInteger();
    long t0 = System.nanoTime();
    long deadline = t0 + (long) (maxSeconds * 1e9);
    Parallel.run(n, 4, i -> {
      if (System.nanoTime() < deadline) {
        request.accept(i);
        done.incrementAndGet();
      }
    });
    return done.get() / Bench.secondsSince(t0);
  }
}
