package dev.apikeyoperator.simulator;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs the FME simulator, and optionally the Statsig simulator:
 * {@code java -jar apikey-simulator.jar --port 8090 --statsig-port 8091}.
 */
@Command(name = "apikey-simulator", mixinStandardHelpOptions = true, version = "apikey-simulator 0.1.0",
    description = "Stateful fakes of the Harness FME (Split) Admin API and (with --statsig-port) the Statsig Console "
        + "API keys endpoints, for tests, sandboxes and benchmarks.")
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

  @Option(names = "--lenient-reads", description = "Any credential may list projects and environments (the vendor "
      + "wants API_ALL_GRANTED, API_ADMIN or API_WORKSPACE_ADMIN, else 401).")
  boolean lenientReads;

  @Option(names = "--denied-delete-403", description = "A delete by a non-GLOBAL caller answers 403 (the vendor: 404).")
  boolean deniedDelete403;

  @Option(names = "--max-key-name-length", defaultValue = "100",
      description = "Longest accepted key name (0 = no limit). Default: ${DEFAULT-VALUE}, as the vendor.")
  int maxKeyNameLength;

  @Option(names = "--environment-scoped-creates",
      description = "Environment-scoped admin keys may create keys (the vendor refuses: 403).")
  boolean environmentScopedCreates;

  @Option(names = "--paywall-admin-keys", description = "Creating admin keys answers 402 Forbidden by Paywalls.")
  boolean paywallAdminKeys;

  @Option(names = "--lowercase-types", description = "Create answers write organization/environment in type "
      + "(the documented example) instead of the live Organization/Environment.")
  boolean lowercaseTypes;

  @Option(names = "--bare-rate-limit-replies",
      description = "429 answers are Harness-style: {\"code\":429}, no rate-limit headers, no Retry-After.")
  boolean bareRateLimitReplies;

  @Option(names = "--statsig-port", defaultValue = "0",
      description = "Also start the Statsig Console API simulator on this port of 127.0.0.1 (0 = off). "
          + "It shares --latency-ms, --error-rate and --rate-limit.")
  int statsigPort;

  @Option(names = "--unleash-port", defaultValue = "0",
      description = "Also start the Unleash Admin API simulator on this port of 127.0.0.1 (0 = off).")
  int unleashPort;

  @Option(names = "--statsig-console-key", description = "Seeded Statsig console key (scope can_access_keys). "
      + "Default: console-sim-admin.")
  String statsigConsoleKey;

  @Option(names = "--statsig-mutations-per-10s", defaultValue = "100",
      description = "Statsig burst protection: mutations per sliding 10 s (0 = off). Default: ${DEFAULT-VALUE}.")
  int statsigMutationsPer10s;

  @Option(names = "--statsig-attempts-per-15min", defaultValue = "1800",
      description = "Statsig quota: mutation attempts per sliding 15 min (0 = off). Default: ${DEFAULT-VALUE}.")
  int statsigAttemptsPer15min;

  @Option(names = "--statsig-rejected-attempts-free",
      description = "Mutations refused with 429 do not count against the Statsig limits (the vendor counts them).")
  boolean statsigRejectedAttemptsFree;

  @Option(names = "--statsig-retry-after", description = "Statsig rate-limit 429s carry Retry-After (the vendor: none).")
  boolean statsigRetryAfter;

  @Option(names = "--statsig-full-update-answers",
      description = "PATCH /keys/{id} answers the whole key (the official example has no key in data).")
  boolean statsigFullUpdateAnswers;

  @Option(names = "--statsig-no-other-key-types",
      description = "GET /keys lists no SCIM/ORG keys with key: null (listed by default).")
  boolean statsigNoOtherKeyTypes;

  @Option(names = "--statsig-create-200", description = "POST /keys answers 200 (the live API: 201).")
  boolean statsigCreate200;

  @Option(names = "--statsig-default-list-limit", defaultValue = "10",
      description = "Page size of GET /keys without limit. Default: ${DEFAULT-VALUE}, as the vendor.")
  int statsigDefaultListLimit;

  @Option(names = "--launchdarkly-port", defaultValue = "0",
      description = "Also start the LaunchDarkly REST API simulator on this port of 127.0.0.1 (0 = off), with project "
          + "default (environments test and production) and access token api-sim-admin.")
  int launchDarklyPort;

  @Option(names = "--launchdarkly-lenient", split = ",", description = "LaunchDarkly leniencies (strict by default): "
      + "beta-header-optional, reuse-deleted-ids, clearable-expiry, accept-bearer, merge-patch-tokens.")
  java.util.List<String> launchDarklyLenient = new java.util.ArrayList<>();

  @Option(names = "--launchdarkly-one-sdk-key",
      description = "The LaunchDarkly plan allows one SDK and one mobile key per environment (no Enterprise).")
  boolean launchDarklyOneSdkKey;

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
    StatsigSimulatorConfig statsigConfig = statsigConfig();
    FmeSimulator sim = FmeSimulator.start(config);
    StatsigSimulator statsig;
    UnleashSimulator unleash;
    try {
      statsig = statsigConfig == null ? null : StatsigSimulator.start(statsigConfig);
      unleash = unleashPort == 0 ? null : UnleashSimulator.start(unleashPort);
    } catch (RuntimeException e) {
      sim.close();
      throw e;
    }
    LaunchDarklySimulator launchDarkly = launchDarklyPort == 0 ? null : startLaunchDarkly();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      sim.close();
      if (statsig != null) {
        statsig.close();
      }
      if (launchDarkly != null) {
        launchDarkly.close();
      }
      if (unleash != null) {
        unleash.close();
      }
      stopped.countDown();
    }, "fme-sim-shutdown"));
    System.out.println("FME simulator listening on " + sim.baseUrl() + " (admin token: " + sim.adminToken() + ")");
    if (statsig != null) {
      System.out.println("Statsig simulator listening on " + statsig.baseUrl() + " (console key: "
          + statsig.consoleKey() + ")");
    }
    if (launchDarkly != null) {
      System.out.println("LaunchDarkly simulator listening on " + launchDarkly.baseUrl() + " (access token: "
          + launchDarkly.adminToken() + ")");
    }
    if (unleash != null) {
      System.out.println("Unleash simulator listening on " + unleash.baseUrl() + " (admin token: "
          + unleash.adminToken() + ")");
    }
    System.out.flush();
    stopped.await();
    return 0;
  }

  /** The LaunchDarkly simulator the flags describe, with project default and its test and production environments. */
  LaunchDarklySimulator startLaunchDarkly() {
    LaunchDarklySimulator ld = LaunchDarklySimulator.start(launchDarklyPort);
    LaunchDarklyRules rules = ld.rules();
    rules.betaHeaderOptional = launchDarklyLenient.contains("beta-header-optional");
    rules.reuseDeletedIds = launchDarklyLenient.contains("reuse-deleted-ids");
    rules.clearableExpiry = launchDarklyLenient.contains("clearable-expiry");
    rules.acceptBearer = launchDarklyLenient.contains("accept-bearer");
    rules.mergePatchTokens = launchDarklyLenient.contains("merge-patch-tokens");
    rules.multipleSdkKeys = !launchDarklyOneSdkKey;
    ld.setLatencyMs(latencyMs);
    ld.addEnvironment("default", "test");
    ld.addEnvironment("default", "production");
    return ld;
  }

  /** The Statsig simulator configuration the parsed flags describe, or null when {@code --statsig-port} is 0. */
  StatsigSimulatorConfig statsigConfig() {
    if (statsigPort == 0) {
      return null;
    }
    StatsigSimulatorConfig config = StatsigSimulatorConfig.defaults().port(statsigPort);
    if (statsigConsoleKey != null) {
      config.consoleKey(statsigConsoleKey);
    }
    config.mutationsPer10s(statsigMutationsPer10s).attemptsPer15min(statsigAttemptsPer15min);
    config.rules()
        .setRejectedAttemptsCount(!statsigRejectedAttemptsFree)
        .setRateLimitRetryAfter(statsigRetryAfter)
        .setUpdateAnswersFullKey(statsigFullUpdateAnswers)
        .setOtherKeyTypesListed(!statsigNoOtherKeyTypes)
        .setCreateAnswers200(statsigCreate200)
        .setDefaultListLimit(statsigDefaultListLimit);
    config.faults()
        .setLatencyMs(latencyMs)
        .setErrorRate(errorRate)
        .setRateLimitPerSecond(rateLimit);
    return config;
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
        .setRateLimitHeaders(!noRateLimitHeaders)
        .setBareRateLimitReplies(bareRateLimitReplies);
    config.rules()
        .setReadRolesRequired(!lenientReads)
        .setDeniedDeleteAnswers404(!deniedDelete403)
        .setMaxKeyNameLength(maxKeyNameLength)
        .setEnvironmentScopedCreates(environmentScopedCreates)
        .setPaywallAdminKeys(paywallAdminKeys)
        .setCapitalisedTypes(!lowercaseTypes);
    return config;
  }
}
