package dev.apikeyoperator.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;

/**
 * A vendor endpoint run by a hostile (or broken) tenant, on loopback, for the tests of guarantee 7
 * (docs/concepts/guarantees.md): it answers the credential checks of both vendors like a real account (so providers turn Ready and
 * ApiKeys go on to call it), and everything else in the way its {@link Mode} says. Raw sockets, so that it can
 * trickle, hang and stream without bounds, which no well-behaved HTTP server does.
 */
public final class HostileVendor implements AutoCloseable {
  /** How it answers everything but the credential checks. */
  public enum Mode {
    /** 200 with {@code Content-Encoding: gzip}: a few MB that inflate to gigabytes. */
    GZIP_BOMB,
    /** 200 with a JSON body that never ends (no Content-Length). */
    HUGE_BODY,
    /** 200 headers, then one byte every two seconds. */
    TRICKLE,
    /** Reads the request and never answers. */
    HANG,
    /** 200 with a body that is not JSON. */
    INVALID_JSON,
    /** Statsig: creates fail with 500 (so the operator looks by listing), and the listing has 100 000 pages. */
    ENDLESS_PAGES
  }

  private static final byte[] ZEROS = new byte[64 * 1024];

  private final Mode mode;
  private final ServerSocket server;
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private final AtomicInteger hostileAnswers = new AtomicInteger();
  private volatile boolean closed;

  private HostileVendor(Mode mode) throws IOException {
    this.mode = mode;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "hostile-vendor-" + mode);
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Starts one on an ephemeral loopback port. */
  public static HostileVendor start(Mode mode) {
    try {
      return new HostileVendor(mode);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the hostile vendor", e);
    }
  }

  /** A base URL for an FME provider. */
  public String fmeBaseUrl() {
    return "http://127.0.0.1:" + server.getLocalPort() + "/internal/api/v2";
  }

  /** A base URL for a Statsig provider. */
  public String statsigBaseUrl() {
    return "http://127.0.0.1:" + server.getLocalPort() + "/console/v1";
  }

  /** How many requests got the hostile answer (not a credential check). */
  public int hostileAnswers() {
    return hostileAnswers.get();
  }

  private void accept() {
    while (!closed) {
      try {
        Socket socket = server.accept();
        open.add(socket);
        Thread t = new Thread(() -> serve(socket), "hostile-vendor-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      String requestLine = in.readLine();
      if (requestLine == null) {
        return;
      }
      int contentLength = 0;
      for (String h = in.readLine(); h != null && !h.isEmpty(); h = in.readLine()) {
        if (h.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
          contentLength = Integer.parseInt(h.substring(15).trim());
        }
      }
      for (int i = 0; i < contentLength; i++) {
        in.read();
      }
      String[] parts = requestLine.split(" ");
      String method = parts[0];
      String target = parts.length > 1 ? parts[1] : "/";
      OutputStream out = socket.getOutputStream();
      if (isCredentialCheck(method, target)) {
        answer(out, 200, target.contains("/console/v1") ? "{\"data\":[],\"pagination\":{}}"
            : "{\"objects\":[],\"offset\":0,\"limit\":1,\"totalCount\":0}");
        return;
      }
      hostileAnswers.incrementAndGet();
      hostile(out, method, target);
    } catch (IOException | RuntimeException e) {
      // the operator gave up on us, as it should
    } finally {
      open.remove(socket);
    }
  }

  /**
   * FME's {@code GET /workspaces?offset=0&limit=1}, Statsig's {@code GET /keys?limit=1}: answered like a vendor; name
   * lookups and listings are not.
   */
  private static boolean isCredentialCheck(String method, String target) {
    return "GET".equals(method) && (target.contains("/workspaces?") || target.contains("/keys?"))
        && target.matches(".*[?&]limit=1(&.*)?") && !target.contains("name=") && !target.contains("page=");
  }

  private void hostile(OutputStream out, String method, String target) throws IOException {
    switch (mode) {
      case GZIP_BOMB -> {
        head(out, 200, "Content-Encoding: gzip\r\n");
        GZIPOutputStream gzip = new GZIPOutputStream(out, 64 * 1024);
        gzip.write("{\"objects\":[\"".getBytes(StandardCharsets.US_ASCII));
        for (long sent = 0; sent < 8L << 30 && !closed; sent += ZEROS.length) {
          gzip.write(ZEROS);
        }
        gzip.finish();
      }
      case HUGE_BODY -> {
        head(out, 200, "");
        out.write("{\"objects\":[".getBytes(StandardCharsets.US_ASCII));
        byte[] chunk = "{\"id\":\"0\",\"name\":\"x\"},".repeat(2048).getBytes(StandardCharsets.US_ASCII);
        for (long sent = 0; sent < 2L << 30 && !closed; sent += chunk.length) {
          out.write(chunk);
        }
      }
      case TRICKLE -> {
        head(out, 200, "");
        out.flush();
        while (!closed) {
          out.write(' ');
          out.flush();
          sleep(2000);
        }
      }
      case HANG -> {
        while (!closed) {
          sleep(1000);
        }
      }
      case INVALID_JSON -> answer(out, 200, "<html>this is not JSON {\"key\":");
      case ENDLESS_PAGES -> {
        if ("GET".equals(method) && target.contains("/keys")) {
          int page = pageOf(target);
          answer(out, 200, "{\"data\":[{\"key\":null,\"type\":\"SCIM\",\"description\":\"scim\"}],"
              + "\"pagination\":{\"nextPage\":\"/console/v1/keys?page=" + (page + 1) + "&limit=100\"}}");
        } else {
          answer(out, 500, "{\"status\":500,\"message\":\"internal error\"}");
        }
      }
      default -> throw new IllegalStateException(mode.toString());
    }
    out.flush();
  }

  private static int pageOf(String target) {
    int i = target.indexOf("page=");
    if (i < 0) {
      return 1;
    }
    String rest = target.substring(i + 5);
    int end = rest.indexOf('&');
    try {
      return Integer.parseInt(end < 0 ? rest : rest.substring(0, end));
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  private static void head(OutputStream out, int status, String extraHeaders) throws IOException {
    out.write(("HTTP/1.1 " + status + " OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
        + extraHeaders + "\r\n").getBytes(StandardCharsets.US_ASCII));
  }

  private static void answer(OutputStream out, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    out.write(("HTTP/1.1 " + status + " OK\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length
        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(bytes);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      // closing anyway
    }
    for (Socket s : open) {
      try {
        s.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }
}
