package dev.apikeyoperator.simulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP server a simulator runs on: bound to 127.0.0.1, served by up to 64 daemon threads named
 * {@code <threadNamePrefix>-<server no>-<thread no>}, each request handed to the handler mounted on its path prefix
 * (an unknown path answers 404 with the simulator's own error body). Every exchange is closed after its handler.
 */
final class EmbeddedHttpServer implements AutoCloseable {

  /** Server numbers, counted per thread name prefix ("fme-sim-1", "statsig-sim-1", ...). */
  private static final Map<String, AtomicInteger> SERVER_COUNTERS = new ConcurrentHashMap<>();

  private final HttpServer server;
  private final ExecutorService executor;
  private final Map<String, HttpHandler> mounts;
  private final ErrorReply errorReply;

  /**
   * Starts a server on {@code port} (0 = ephemeral). {@code mounts} maps disjoint path prefixes (such as
   * {@code /console/v1}) to their handlers; a path is under a prefix when it equals it or continues with {@code /}.
   */
  EmbeddedHttpServer(String threadNamePrefix, int port, Map<String, HttpHandler> mounts, ErrorReply errorReply)
      throws IOException {
    this.mounts = Map.copyOf(mounts);
    this.errorReply = errorReply;
    int serverNo = SERVER_COUNTERS.computeIfAbsent(threadNamePrefix, k -> new AtomicInteger()).incrementAndGet();
    AtomicInteger threadNo = new AtomicInteger();
    ThreadPoolExecutor pool = new ThreadPoolExecutor(64, 64, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
        r -> {
          Thread t = new Thread(r, threadNamePrefix + "-" + serverNo + "-" + threadNo.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    pool.allowCoreThreadTimeOut(true);
    this.executor = pool;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
    server.createContext("/", this::dispatch);
    server.setExecutor(executor);
    server.start();
  }

  private void dispatch(HttpExchange ex) throws IOException {
    try {
      String path = ex.getRequestURI().getRawPath();
      for (Map.Entry<String, HttpHandler> mount : mounts.entrySet()) {
        String prefix = mount.getKey();
        if (path.equals(prefix) || path.startsWith(prefix + "/")) {
          mount.getValue().handle(ex);
          return;
        }
      }
      ex.getRequestBody().readAllBytes();
      errorReply.send(ex, 404, "Not Found");
    } finally {
      ex.close();
    }
  }

  /** The bound port. */
  int port() {
    return server.getAddress().getPort();
  }

  /** {@code http://127.0.0.1:<port><prefix>}. */
  String url(String prefix) {
    return "http://127.0.0.1:" + port() + prefix;
  }

  /** Stops the server at once and its threads. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
