package dev.apikeyoperator.transport;

import java.io.IOException;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.Headers;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okio.BufferedSink;

/** Builds the HTTP request of an {@link Exchange}, and tells whether OkHttp began to send it. */
final class SentRequest {

  private static final MediaType JSON = MediaType.get("application/json");

  private SentRequest() {}

  /**
   * The request: the profile's headers, JSON accepted, gzip asked for explicitly (so that the transport, not OkHttp,
   * inflates it, through a bounded source), and a body that is never sent twice when the call mints a key.
   */
  static Request build(Exchange exchange, Headers profileHeaders) {
    RequestBody body = null;
    if (exchange.body() != null) {
      MediaType type = exchange.body().length == 0 ? null : JSON;
      body = exchange.mints() ? new OneShotBody(exchange.body(), type) : RequestBody.create(exchange.body(), type);
    }
    return new Request.Builder()
        .url(exchange.url())
        .headers(profileHeaders)
        .header("Accept", "application/json")
        .header("Accept-Encoding", "gzip")
        .header("User-Agent", "apikey-operator")
        .method(exchange.method(), body)
        .build();
  }

  /** Per-call flag: did OkHttp start writing the request? */
  static final class Progress {
    private volatile boolean started;

    boolean started() {
      return started;
    }
  }

  static final class Listener extends EventListener {
    private final Progress progress;

    Listener(Progress progress) {
      this.progress = progress;
    }

    @Override
    public void requestHeadersStart(Call call) {
      progress.started = true;
    }

    @Override
    public void requestHeadersEnd(Call call, Request request) {
      progress.started = true;
    }
  }

  /** A body that OkHttp must never send twice: a call that mints a key is never retried once it began. */
  private static final class OneShotBody extends RequestBody {
    private final byte[] bytes;
    private final MediaType type;

    OneShotBody(byte[] bytes, MediaType type) {
      this.bytes = bytes;
      this.type = type;
    }

    @Override
    public MediaType contentType() {
      return type;
    }

    @Override
    public long contentLength() {
      return bytes.length;
    }

    @Override
    public boolean isOneShot() {
      return true;
    }

    @Override
    public void writeTo(BufferedSink sink) throws IOException {
      sink.write(bytes);
    }

    @Override
    public String toString() {
      return "OneShotBody[" + bytes.length + " bytes]";
    }
  }
}
