package dev.apikeyoperator.simulator;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the FME simulator alone: {@code java -jar apikey-simulator.jar --port 8090}. */
@Command(name = "apikey-simulator", mixinStandardHelpOptions = true, version = "apikey-simulator 0.1.0",
    description = "Stateful fake of the Harness FME (Split) Admin API, for tests, sandboxes and benchmarks.")
public final class SimulatorMain implements Callable<Integer> {

  @Option(names = "--port", defaultValue = "8090", description = "Port on 127.0.0.1 (0 = ephemeral). Default: ${DEFAULT-VALUE}.")
  int port;

  @Option(names = "--seed", description = "Seed file: {\"adminTokens\":[{\"token\",\"roles\"}],\"projects\":[{\"name\",\"environments\"}]} (replaces the defaults).")
  Path seed;

  @Option(names = "--admin-token", description = "Primary admin token (API_ALL_GRANTED, global). Default: sim-admin-token.")
  String adminToken;

  @Option(names = "--latency-ms", defaultValue = "0", description = "Latency added to every API request, in ms.")
  int latencyMs;

  @Option(names = "--error-rate", defaultValue = "0", description = "Probability (0..1) of answering 500.")
  double errorRate;

  @Option(names = "--rate-limit", defaultValue = "0", description = "Requests per second over all API requests (0 = off).")
  double rateLimit;

  @Option(names = "--no-create-id", description = "Omit the key id from create responses (like many live responses).")
  boolean noCreateId;

  @Option(names = "--no-rate-limit-headers", description = "429 carries only Retry-After (like Harness-hosted endpoints).")
  boolean noRateLimitHeaders;

  @Option(names = "--harness-migrated", description = "The account moved to Harness: creating admin keys answers 403.")
  boolean harnessMigrated;

  public static void main(String[] args) {
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
    }
    int code = new CommandLine(new SimulatorMain()).execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  @Override
  public Integer call() throws Exception {
    SimulatorConfig config = fmeConfig();
    FmeSimulator sim = FmeSimulator.start(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      sim.close();
      stopped.countDown();
    }, "fme-sim-shutdown"));
    System.out.println("FME simulator listening on " + sim.baseUrl() + " (admin token: " + sim.adminToken() + ")");
    System.out.flush();
    stopped.await();
    return 0;
  }

  /** The FME simulator configuration the parsed flags describe. */
  SimulatorConfig fmeConfig() throws java.io.IOException {
    SimulatorConfig config = seed != null ? SimulatorConfig.fromSeedFile(seed) : SimulatorConfig.defaults();
    config.port(port);
    if (adminToken != null) {
      config.adminToken(adminToken);
    }
    config.harnessMigrated(harnessMigrated);
    config.faults()
        .setLatencyMs(latencyMs)
        .setErrorRate(errorRate)
        .setRateLimitPerSecond(rateLimit)
        .setCreateResponsesIncludeId(!noCreateId)
        .setRateLimitHeaders(!noRateLimitHeaders);
    return config;
  }
}
