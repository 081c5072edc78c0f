package dev.apikeyoperator.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.javaoperatorsdk.operator.Operator;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The operator's one HTTP port: {@code /metrics} (Prometheus text format), {@code /healthz} (the process is alive)
 * and {@code /readyz} (the operator started and every informer is synced and healthy; 503 before). Any pod may
 * reach the port unless the chart's NetworkPolicy is on: slow or stuck clients are cut off and never take every
 * thread, so the probes are answered whatever other clients do (docs/concepts/guarantees.md 7).
 */
public final class OpsServer implements AutoCloseable {
  private final HttpServer server;

  private OpsServer(HttpServer server) {
    this.server = server;
  }

  /** Requests served at once: a few slow or stuck clients leave threads for the kubelet's probes. */
  static final int THREADS = 8;
  /** Requests that wait for a thread; past that, new ones are dropped rather than queued without bound. */
  static final int QUEUE = 32;
  /**
   * The JDK server's own limits, in seconds: a request must arrive whole within {@code maxReqTime} and its answer be
   * taken within {@code maxRspTime}, else the connection is closed. They are read once per process, when the first
   * JDK HTTP server starts: in the operator, this one (the test JVMs set them in the build).
   */
  static final java.util.Map<String, String> TIME_LIMITS = java.util.Map.of(
      "sun.net.httpserver.maxReqTime", "5", "sun.net.httpserver.maxRspTime", "30");

  public static OpsServer start(int port, Operator operator, OperatorMetrics metrics) throws IOException {
    TIME_LIMITS.forEach((name, value) -> {
      if (System.getProperty(name) == null) {
        System.setProperty(name, value);
      }
    });
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
    ThreadPoolExecutor executor = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(QUEUE), r -> {
          Thread t = new Thread(r, "ops-http");
          t.setDaemon(true);
          return t;
        }, new ThreadPoolExecutor.DiscardPolicy());
    executor.allowCoreThreadTimeOut(true);
    server.setExecutor(executor);
    server.createContext("/healthz", ex -> reply(ex, 200, "ok\n"));
    server.createContext("/metrics", ex -> {
      byte[] body = metrics.scrape().getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      ex.sendResponseHeaders(200, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    });
    server.createContext("/readyz", ex -> {
      boolean ready = operator.getRuntimeInfo().isStarted() && operator.getRuntimeInfo().allEventSourcesAreHealthy();
      reply(ex, ready ? 200 : 503, ready ? "ready\n" : "not ready: informers not synced\n");
    });
    server.start();
    return new OpsServer(server);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void reply(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
