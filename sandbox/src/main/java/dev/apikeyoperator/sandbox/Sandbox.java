package dev.apikeyoperator.sandbox;

import dev.apikeyoperator.testkit.MockKubernetes;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs the operator on one machine with no cluster and no vendor account: fabric8's mock Kubernetes API (CRUD
 * mode), the FME and Statsig simulators and the operator, all in this process ({@link SandboxWorld}). Applies
 * {@code examples/} ({@link Examples}), shows what happened ({@link Report}), deletes one FME key to show
 * revocation and updates one Statsig key in place ({@link Changes}), and exits 0 when every check passed.
 */
@Command(name = "apikey-sandbox", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Runs apikey-operator against an in-process Kubernetes API and FME and Statsig simulators, "
        + "applies the example manifests, checks the keys, Secrets, revocation and an in-place update, and exits 0 "
        + "when every check passed.")
public final class Sandbox implements Callable<Integer> {
  @Option(names = "--examples", defaultValue = "examples", paramLabel = "DIR",
      description = "Directory of example manifests to apply (default: ${DEFAULT-VALUE}, relative to the "
          + "working directory).")
  Path examplesDir;

  @Option(names = "--crds", paramLabel = "DIR",
      description = "Directory of CRD manifests. Default: ./crds when it exists, else the CRDs generated into "
          + "the operator jar (META-INF/fabric8/*-v1.yml).")
  Path crdsDir;

  @Option(names = "--timeout", defaultValue = "60", paramLabel = "SECONDS",
      description = "How long to wait for every ApiKey to be ready (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  private final Checklist log;

  public Sandbox() {
    this(System.out);
  }

  Sandbox(PrintStream out) {
    this.log = new Checklist(out);
  }

  public static void main(String[] args) {
    // JOSDK and okhttp threads may linger after the operator stops: exit explicitly.
    System.exit(run(System.out, args));
  }

  /** Runs the sandbox with command-line {@code args}; returns the exit code (0: every check passed). */
  public static int run(PrintStream out, String... args) {
    return new CommandLine(new Sandbox(out)).execute(args);
  }

  @Override
  public Integer call() {
    long started = System.nanoTime();
    PrintStream out = log.out();
    if (!Files.isDirectory(examplesDir)) {
      out.println("Sandbox: the examples directory '" + examplesDir + "' does not exist (looked in "
          + examplesDir.toAbsolutePath().normalize() + "). Run the sandbox from the repository root, or pass "
          + "--examples DIR.");
      return 1;
    }
    List<Path> files = MockKubernetes.manifestFiles(examplesDir);
    if (files.isEmpty()) {
      out.println("Sandbox: no *.yaml or *.yml files in '" + examplesDir.toAbsolutePath().normalize()
          + "'. Pass --examples DIR with the example manifests.");
      return 1;
    }

    SandboxWorld world = null;
    try {
      log.step("1/7", "Starting an in-process Kubernetes API, the FME and Statsig simulators and the operator");
      world = new SandboxWorld(log, crdsDir);
      Examples examples = new Examples(world, log, examplesDir);
      List<Doc> docs = examples.parse(files);
      world.createNamespaces(Examples.namespaces(docs));
      world.startOperator();

      runSteps(world, examples, docs);
    } catch (Exception e) {
      log.fail("the sandbox ran to the end", e.getClass().getSimpleName() + ": " + e.getMessage());
      e.printStackTrace(out);
    } finally {
      log.step("7/7", "Stopping the operator, the simulators and the Kubernetes API");
      if (world != null) {
        world.close();
      }
    }
    return log.summary(Duration.ofNanos(System.nanoTime() - started).toSeconds());
  }

  /** Steps 2 to 6: apply the examples, wait, report, delete one key, update one in place. */
  private void runSteps(SandboxWorld world, Examples examples, List<Doc> docs) throws InterruptedException {
    log.step("2/7", "Applying the examples from " + examplesDir.toAbsolutePath().normalize());
    List<Doc> applied = examples.apply(docs);
    List<Doc> apiKeys = applied.stream().filter(d -> d.kind().equals("ApiKey")).toList();
    List<Doc> providers = applied.stream().filter(Doc::isProvider).toList();
    log.check(!apiKeys.isEmpty(), "the examples contain at least one ApiKey", "found none in " + examplesDir);

    log.step("3/7", "Waiting (at most " + timeoutSeconds + " s) for every ApiKey to be Ready with reason KeyReady");
    Report report = new Report(world, log);
    report.awaitReady(apiKeys, providers, timeoutSeconds);
    report.checkReady(apiKeys, providers, timeoutSeconds);
    Map<String, String> values = new HashMap<>();   // ApiKey ref -> key value; never printed

    log.step("4/7", "What the operator made");
    report.report(apiKeys, values);
    report.checkDeployments(applied);
    new ConsumerReport(world, log).report(apiKeys, applied, timeoutSeconds);

    Changes changes = new Changes(world, log);
    log.step("5/7", "Deleting the FME client-side ApiKey: its key must be revoked at the vendor");
    changes.deleteClientSide(apiKeys, values);

    log.step("6/7", "In-place update of a Statsig key");
    changes.updateStatsigInPlace(apiKeys, values);
  }
}
