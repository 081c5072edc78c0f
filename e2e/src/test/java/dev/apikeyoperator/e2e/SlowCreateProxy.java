package dev.apikeyoperator.e2e;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP proxy in front of the real Unleash server that holds back the answer of every token create for a
 * while after Unleash has made the token: a SIGKILL then lands while the create is in flight (the token exists,
 * the operator has not heard of it), the moment the kill -9 proof is about.
 */
final class SlowCreateProxy implements AutoCloseable {
  private static final List<String> FORWARDED = List.of("Authorization", "Content-Type", "Accept");

  private final HttpServer server;
  private final String target;
  private final Duration hold;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  /** Creates whose answer is being held right now. */
  private final AtomicInteger holding = new AtomicInteger();
  private final AtomicInteger held = new AtomicInteger();

  SlowCreateProxy(String target, Duration hold) throws IOException {
    this.target = target;
    this.hold = hold;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.createContext("/", this::forward);
    server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "slow-create-proxy");
      t.setDaemon(true);
      return t;
    }));
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Whether a create has reached Unleash and its answer is being held now. */
  boolean createInFlight() {
    return holding.get() > 0;
  }

  /** How many create answers were held back. */
  int heldCreates() {
    return held.get();
  }

  private void forward(HttpExchange ex) throws IOException {
    try (ex) {
      byte[] body = ex.getRequestBody().readAllBytes();
      String path = ex.getRequestURI().getRawPath();
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + ex.getRequestURI().toString()))
          .timeout(Duration.ofSeconds(20))
          .method(ex.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofByteArray(body));
      for (String name : FORWARDED) {
        String value = ex.getRequestHeaders().getFirst(name);
        if (value != null) {
          request.header(name, value);
        }
      }
      HttpResponse<byte[]> answer;
      try {
        answer = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      boolean create = ex.getRequestMethod().equals("POST") && path.equals("/api/admin/api-tokens");
      if (create) {
        holding.incrementAndGet();
        held.incrementAndGet();
        try {
          Thread.sleep(hold.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } finally {
          holding.decrementAndGet();
        }
      }
      answer.headers().firstValue("Content-Type").ifPresent(v -> ex.getResponseHeaders().set("Content-Type", v));
      ex.sendResponseHeaders(answer.statusCode(), answer.body().length == 0 ? -1 : answer.body().length);
      if (answer.body().length > 0) {
        try (OutputStream out = ex.getResponseBody()) {
          out.write(answer.body());
        }
      }
    } catch (IOException e) {
      // the operator was killed while its answer was held: nothing to answer to
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
