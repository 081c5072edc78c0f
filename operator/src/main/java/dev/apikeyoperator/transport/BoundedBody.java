package dev.apikeyoperator.transport;

import java.io.IOException;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.ForwardingSource;
import okio.GzipSource;
import okio.Source;

/**
 * Reads an answer through a bounded source: never more than a cap, counted both as sent and after gzip inflation,
 * so a huge body or a gzip bomb ends in {@link TooLarge} and never in {@code OutOfMemoryError}.
 */
final class BoundedBody {

  private static final long CHUNK = 8192;

  private BoundedBody() {}

  /** The answer, or the failure to read it, is the vendor's: thrown when it is too large or encoded oddly. */
  static final class Unreadable extends IOException {
    Unreadable(String message) {
      super(message);
    }
  }

  /** The whole answer as UTF-8 text. */
  static String readAll(Response response, long cap) throws IOException {
    ResponseBody body = response.body();
    long declared = body.contentLength();
    if (declared > cap) {
      throw new Unreadable("the answer declares " + declared + " bytes, more than the cap of " + cap + " bytes");
    }
    Source wire = new Capped(body.source(), cap, "as sent");
    Source plain = decoded(response, wire);
    if (plain != wire) {
      plain = new Capped(plain, cap, "after gzip inflation");
    }
    Buffer buffer = new Buffer();
    while (plain.read(buffer, CHUNK) != -1) {
      // Capped throws past the cap
    }
    return buffer.readUtf8();
  }

  /** At most {@code cap} bytes of the answer (after inflation) as UTF-8 text; the rest is not read. */
  static String readPrefix(Response response, long cap) throws IOException {
    Source plain = decoded(response, response.body().source());
    Buffer buffer = new Buffer();
    while (buffer.size() < cap && plain.read(buffer, Math.min(CHUNK, cap - buffer.size())) != -1) {
      // reads on until the prefix is full or the answer ends
    }
    return buffer.readUtf8();
  }

  private static Source decoded(Response response, Source wire) throws Unreadable {
    String encoding = response.header("Content-Encoding");
    if (encoding == null || encoding.isBlank() || encoding.strip().equalsIgnoreCase("identity")) {
      return wire;
    }
    if (encoding.strip().equalsIgnoreCase("gzip")) {
      return new GzipSource(wire);
    }
    throw new Unreadable("the answer has a Content-Encoding the operator did not ask for");
  }

  /** Fails as soon as more than {@code cap} bytes went through. */
  private static final class Capped extends ForwardingSource {
    private final long cap;
    private final String where;
    private long total;

    Capped(Source delegate, long cap, String where) {
      super(delegate);
      this.cap = cap;
      this.where = where;
    }

    @Override
    public long read(Buffer sink, long byteCount) throws IOException {
      long n = super.read(sink, Math.min(byteCount, cap + 1 - total));
      if (n > 0) {
        total += n;
        if (total > cap) {
          throw new Unreadable("the answer is larger than the cap of " + cap + " bytes " + where);
        }
      }
      return n;
    }
  }
}
