package dev.apikeyoperator.issuer.fme;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apikeyoperator.issuer.KeyValue;
import dev.apikeyoperator.issuer.VendorErrorException;
import dev.apikeyoperator.issuer.VendorException;
import dev.apikeyoperator.issuer.VendorOutcomeUnknownException;
import dev.apikeyoperator.issuer.VendorRateLimitedException;
import dev.apikeyoperator.issuer.VendorUnauthorizedException;
import dev.apikeyoperator.issuer.VendorUnreachableException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client of the Harness FME (formerly Split) Admin API: creates and revokes API keys, lists projects
 * (workspaces) and environments. It never sleeps or retries on its own: failures are thrown as
 * {@link VendorException} subclasses and the caller reschedules.
 *
 * <p>Key values and the credential never appear in exception messages or logs. Logging is at DEBUG only:
 * operation, status and duration.
 */
public final class FmeClient {

  private static final Logger LOG = LoggerFactory.getLogger(FmeClient.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final MediaType JSON = MediaType.get("application/json");
  private static final String REDACTED = "<redacted>";

  static final int PAGE_SIZE = 100;
  private static final int MAX_PAGES = 10_000;
  static final int MAX_ERROR_BODY_CHARS = 300;

  static final String OP_CREATE = "create key";
  static final String OP_REVOKE = "revoke key";
  static final String OP_LIST_PROJECTS = "list projects";
  static final String OP_LIST_ENVIRONMENTS = "list environments";
  static final String OP_CHECK_CREDENTIALS = "check credentials";

  private final OkHttpClient http;
  private final FmeEndpoint endpoint;
  private final HttpUrl base;

  /**
   * @param http shared client (connection pool, timeouts). Redirects are never followed (the credential must
   *     not travel to another host); the caller's event listeners are kept.
   */
  public FmeClient(OkHttpClient http, FmeEndpoint endpoint) {
    Objects.requireNonNull(http, "http");
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    String url = endpoint.baseUrl().strip();
    while (url.endsWith("/")) {
      url = url.substring(0, url.length() - 1);
    }
    HttpUrl parsed = HttpUrl.parse(url);
    if (parsed == null) {
      throw new IllegalArgumentException("invalid FME baseUrl: " + url);
    }
    this.base = parsed;
    EventListener.Factory callerListeners = http.eventListenerFactory();
    this.http =
        http.newBuilder()
            .followRedirects(false)
            .followSslRedirects(false)
            .eventListenerFactory(
                call -> {
                  EventListener caller = callerListeners.create(call);
                  SendProgress progress = call.request().tag(SendProgress.class);
                  return progress == null ? caller : caller.plus(new SendProgressListener(progress));
                })
            .build();
  }

  /**
   * A client with the given timeouts (defaults 5 s connect, 20 s read/write when {@code null}), that never
   * retries on connection failure and never follows redirects.
   */
  public static OkHttpClient defaultHttpClient(Duration connectTimeout, Duration readTimeout) {
    Duration connect = connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout;
    Duration read = readTimeout == null ? Duration.ofSeconds(20) : readTimeout;
    return new OkHttpClient.Builder()
        .connectTimeout(connect.toMillis(), TimeUnit.MILLISECONDS)
        .readTimeout(read.toMillis(), TimeUnit.MILLISECONDS)
        .writeTimeout(read.toMillis(), TimeUnit.MILLISECONDS)
        .retryOnConnectionFailure(false)
        .followRedirects(false)
        .followSslRedirects(false)
        .build();
  }

  // ---------------------------------------------------------------- operations

  /**
   * {@code POST /apiKeys}. Exactly one request is sent (never retried, even by OkHttp).
   *
   * @throws VendorOutcomeUnknownException the request was sent but no complete answer arrived: the key may exist
   * @throws VendorUnreachableException the request was certainly not sent
   * @throws VendorErrorException a non-success answer, or a success answer without a key value (then
   *     {@code permanent()} is true: the key may exist and retrying would mint another)
   */
  public FmeCreatedKey create(FmeKeyRequest request) {
    Objects.requireNonNull(request, "request");
    if ("admin".equals(request.apiKeyType()) && request.roles().isEmpty()) {
      // the vendor would silently grant API_ALL_GRANTED
      throw new IllegalArgumentException("an admin key needs at least one role");
    }
    byte[] body = createBody(request);
    HttpUrl url = base.newBuilder().addPathSegment("apiKeys").build();
    Request httpRequest = authorized(new Request.Builder().url(url)).post(new OneShotJsonBody(body)).build();
    Answer answer = execute(OP_CREATE, httpRequest, true);
    if (!answer.isSuccess()) {
      throw failure(OP_CREATE, answer);
    }
    return parseCreated(request, answer);
  }

  /**
   * {@code DELETE /apiKeys/{idOrKeyValue}}: by id when the create response carried one, else by key value.
   * 200, 204 and 404 (already gone) are success.
   */
  public void revoke(String idOrKeyValue) {
    if (idOrKeyValue == null || idOrKeyValue.isBlank()) {
      throw new IllegalArgumentException("revoke needs a key id or key value");
    }
    HttpUrl url = base.newBuilder().addPathSegment("apiKeys").addPathSegment(idOrKeyValue).build();
    Request httpRequest = authorized(new Request.Builder().url(url)).delete().build();
    Answer answer = execute(OP_REVOKE, httpRequest, false, idOrKeyValue);
    if (answer.status == 404 || answer.isSuccess()) {
      return;
    }
    throw failure(OP_REVOKE, answer, idOrKeyValue);
  }

  /** {@code GET /workspaces?offset=&limit=100}, paged until {@code totalCount} is reached. */
  public List<FmeWorkspace> listWorkspaces() {
    Map<String, FmeWorkspace> byId = new LinkedHashMap<>();
    int offset = 0;
    for (int page = 0; page < MAX_PAGES; page++) {
      JsonNode root = getJson(OP_LIST_PROJECTS, workspacesUrl(offset, PAGE_SIZE));
      JsonNode objects = root.get("objects");
      if (objects == null || !objects.isArray()) {
        throw new VendorErrorException(
            "FME " + OP_LIST_PROJECTS + ": the answer has no \"objects\" array", 200, false);
      }
      for (JsonNode o : objects) {
        String id = text(o, "id");
        if (id != null) {
          byId.putIfAbsent(id, new FmeWorkspace(id, text(o, "name")));
        }
      }
      int n = objects.size();
      offset += n;
      JsonNode total = root.get("totalCount");
      if (n == 0) {
        break; // guard: an empty page ends paging whatever totalCount says
      }
      if (total != null && total.canConvertToLong()) {
        if (offset >= total.asLong()) {
          break;
        }
      } else if (n < PAGE_SIZE) {
        break;
      }
    }
    return List.copyOf(byId.values());
  }

  /** {@code GET /environments/ws/{workspaceId}}: a plain JSON array. */
  public List<FmeEnvironment> listEnvironments(String workspaceId) {
    Objects.requireNonNull(workspaceId, "workspaceId");
    HttpUrl url =
        base.newBuilder().addPathSegment("environments").addPathSegment("ws").addPathSegment(workspaceId).build();
    JsonNode root = getJson(OP_LIST_ENVIRONMENTS, url);
    JsonNode items = root.isArray() ? root : root.get("objects");
    if (items == null || !items.isArray()) {
      throw new VendorErrorException(
          "FME " + OP_LIST_ENVIRONMENTS + ": the answer is not a JSON array", 200, false);
    }
    List<FmeEnvironment> result = new ArrayList<>();
    for (JsonNode o : items) {
      String id = text(o, "id");
      if (id != null) {
        result.add(new FmeEnvironment(id, text(o, "name")));
      }
    }
    return List.copyOf(result);
  }

  /** {@code GET /workspaces?offset=0&limit=1}: throws unless the credential works. */
  public void checkCredentials() {
    Request request = authorized(new Request.Builder().url(workspacesUrl(0, 1))).get().build();
    Answer answer = execute(OP_CHECK_CREDENTIALS, request, false);
    if (!answer.isSuccess()) {
      throw failure(OP_CHECK_CREDENTIALS, answer);
    }
  }

  // ---------------------------------------------------------------- request building

  private HttpUrl workspacesUrl(int offset, int limit) {
    return base.newBuilder()
        .addPathSegment("workspaces")
        .addQueryParameter("offset", Integer.toString(offset))
        .addQueryParameter("limit", Integer.toString(limit))
        .build();
  }

  private Request.Builder authorized(Request.Builder builder) {
    String token = endpoint.credential().reveal();
    switch (endpoint.scheme()) {
      case BEARER -> builder.header("Authorization", "Bearer " + token);
      case X_API_KEY -> builder.header("x-api-key", token);
    }
    return builder
        .header("Accept", "application/json")
        .header("Content-Type", "application/json")
        .header("User-Agent", "apikey-operator");
  }

  static byte[] createBody(FmeKeyRequest request) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("name", request.name());
    root.put("apiKeyType", request.apiKeyType());
    if (request.workspaceId() == null) {
      root.putNull("workspace");
    } else {
      root.putObject("workspace").put("type", "workspace").put("id", request.workspaceId());
    }
    ArrayNode environments = root.putArray("environments");
    for (String id : request.environmentIds()) {
      environments.addObject().put("type", "environment").put("id", id);
    }
    ArrayNode roles = root.putArray("roles");
    request.roles().forEach(roles::add);
    try {
      return MAPPER.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize the create body", e);
    }
  }

  // ---------------------------------------------------------------- response handling

  private FmeCreatedKey parseCreated(FmeKeyRequest request, Answer answer) {
    String noKey =
        "FME " + OP_CREATE + " \"" + request.name() + "\": the vendor answered HTTP " + answer.status
            + " but the answer carries no key value; a key of that name may exist at the vendor: "
            + "check the FME UI and revoke it by hand if so";
    JsonNode root;
    try {
      root = MAPPER.readTree(answer.body);
    } catch (JsonProcessingException e) {
      // never attach e: its message may quote the body, which may hold the key value
      throw new VendorErrorException(noKey + " (the answer is not JSON)", answer.status, true);
    }
    String key = root == null ? null : text(root, "key");
    if (key == null || key.isBlank()) {
      throw new VendorErrorException(noKey, answer.status, true);
    }
    String id = text(root, "id");
    if (id != null && id.isBlank()) {
      id = null;
    }
    String name = text(root, "name");
    if (name == null || name.isBlank()) {
      name = request.name();
    }
    return new FmeCreatedKey(name, id, KeyValue.of(key), createdAt(root.get("createdAt")));
  }

  private static Instant createdAt(JsonNode node) {
    if (node != null && node.isNumber()) {
      return Instant.ofEpochMilli(node.asLong());
    }
    if (node != null && node.isTextual()) {
      try {
        return Instant.ofEpochMilli(Long.parseLong(node.asText().strip()));
      } catch (NumberFormatException ignored) {
        try {
          return Instant.parse(node.asText().strip());
        } catch (DateTimeParseException ignoredToo) {
          // fall through
        }
      }
    }
    return Instant.now();
  }

  private JsonNode getJson(String operation, HttpUrl url) {
    Request request = authorized(new Request.Builder().url(url)).get().build();
    Answer answer = execute(operation, request, false);
    if (!answer.isSuccess()) {
      throw failure(operation, answer);
    }
    try {
      JsonNode root = MAPPER.readTree(answer.body);
      if (root == null || root.isMissingNode()) {
        throw new VendorErrorException("FME " + operation + ": the answer is empty", answer.status, false);
      }
      return root;
    } catch (JsonProcessingException e) {
      throw new VendorErrorException(
          "FME " + operation + ": the answer is not JSON: " + excerpt(answer.body), answer.status, false);
    }
  }

  private VendorException failure(String operation, Answer answer, String... secrets) {
    int status = answer.status;
    String said = excerpt(answer.body, secrets);
    String vendorSaid = said.isEmpty() ? "" : " The vendor said: " + said;
    if (status == 401) {
      return new VendorUnauthorizedException(
          "FME " + operation + " was refused with HTTP 401 Unauthorized: the credential is invalid, expired, "
              + "sent with the wrong scheme (Bearer or XApiKey), or scoped too narrowly. The provider's credentials "
              + "Secret must hold a valid admin credential with API_ALL_GRANTED or API_APIKEY." + vendorSaid,
          401);
    }
    if (status == 403) {
      return new VendorUnauthorizedException(
          "FME " + operation + " was refused with HTTP 403 Forbidden: the credential is not allowed to do this. "
              + "The provider's credentials Secret must hold a valid admin credential with API_ALL_GRANTED or "
              + "API_APIKEY." + vendorSaid,
          403);
    }
    if (status == 429) {
      Duration retryAfter = retryAfter(answer.response, Instant.now());
      return new VendorRateLimitedException(
          "FME " + operation + " was rate-limited (HTTP 429); "
              + (retryAfter == null ? "the vendor gave no retry hint" : "retry after " + retryAfter.toSeconds() + " s")
              + "." + vendorSaid,
          retryAfter);
    }
    return new VendorErrorException(
        "FME " + operation + " failed with HTTP " + status + (said.isEmpty() ? "" : ": " + said), status);
  }

  /**
   * The larger of {@code X-RateLimit-Reset-Seconds-Org} and {@code -IP} when either is present, else
   * {@code Retry-After} (seconds or HTTP date), else {@code null}.
   */
  static Duration retryAfter(Response response, Instant now) {
    Duration org = seconds(response.header("X-RateLimit-Reset-Seconds-Org"));
    Duration ip = seconds(response.header("X-RateLimit-Reset-Seconds-IP"));
    if (org != null || ip != null) {
      if (org == null) {
        return ip;
      }
      if (ip == null) {
        return org;
      }
      return org.compareTo(ip) >= 0 ? org : ip;
    }
    String retryAfter = response.header("Retry-After");
    if (retryAfter == null || retryAfter.isBlank()) {
      return null;
    }
    Duration asSeconds = seconds(retryAfter);
    if (asSeconds != null) {
      return asSeconds;
    }
    try {
      Instant at = ZonedDateTime.parse(retryAfter.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration wait = Duration.between(now, at);
      return wait.isNegative() ? Duration.ZERO : wait;
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static Duration seconds(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      double s = Double.parseDouble(value.strip());
      if (Double.isNaN(s) || Double.isInfinite(s) || s < 0) {
        return null;
      }
      return Duration.ofMillis((long) Math.ceil(s * 1000));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The body as one line of text, every secret replaced by {@code <redacted>}, at most 300 characters. */
  private String excerpt(String body, String... secrets) {
    if (body == null) {
      return "";
    }
    String text = redact(body, secrets).replaceAll("\\s+", " ").strip();
    if (text.length() > MAX_ERROR_BODY_CHARS) {
      text = text.substring(0, MAX_ERROR_BODY_CHARS) + "...";
    }
    return text;
  }

  private String redact(String text, String... secrets) {
    if (text == null) {
      return null;
    }
    String result = text.replace(endpoint.credential().reveal(), REDACTED);
    for (String secret : secrets) {
      if (secret != null && !secret.isEmpty()) {
        result = result.replace(secret, REDACTED);
      }
    }
    return result;
  }

  // ---------------------------------------------------------------- transport

  /** One HTTP exchange: any status, with the body fully read. I/O failures become vendor exceptions. */
  private Answer execute(String operation, Request request, boolean create, String... secrets) {
    SendProgress progress = new SendProgress();
    Request tagged = request.newBuilder().tag(SendProgress.class, progress).build();
    long start = System.nanoTime();
    try (Response response = http.newCall(tagged).execute()) {
      ResponseBody body = response.body();
      String text = body == null ? "" : body.string();
      LOG.debug("FME {} answered HTTP {} in {} ms", operation, response.code(), millisSince(start));
      return new Answer(response.code(), text, response);
    } catch (IOException e) {
      LOG.debug("FME {} failed after {} ms: {}", operation, millisSince(start), e.getClass().getSimpleName());
      String what = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + redact(e.getMessage(), secrets));
      Throwable cause = safeCause(e, secrets);
      if (create && progress.requestStarted) {
        throw new VendorOutcomeUnknownException(
            "FME " + operation + ": the request was sent to " + base.host() + " but no answer arrived (" + what
                + "); the key may have been created at the vendor",
            cause);
      }
      throw new VendorUnreachableException(
          "FME " + operation + ": cannot reach " + base.host() + " (" + what + ")", cause);
    }
  }

  /** The exception itself, unless any message in its chain contains a secret (then none is attached). */
  private Throwable safeCause(Throwable e, String... secrets) {
    String credential = endpoint.credential().reveal();
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String message = t.getMessage();
      if (message != null && !Objects.equals(redact(message, secrets), message)) {
        return null;
      }
      if (message != null && message.contains(credential)) {
        return null;
      }
    }
    return e;
  }

  private static long millisSince(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull() || value.isContainerNode()) {
      return null;
    }
    return value.asText();
  }

  /** A complete HTTP answer. {@code response} is closed: use only its status line and headers. */
  private record Answer(int status, String body, Response response) {
    boolean isSuccess() {
      return status >= 200 && status < 300;
    }
  }

  /** Per-call flag: did OkHttp start writing the request? */
  private static final class SendProgress {
    volatile boolean requestStarted;
  }

  private static final class SendProgressListener extends EventListener {
    private final SendProgress progress;

    SendProgressListener(SendProgress progress) {
      this.progress = progress;
    }

    @Override
    public void requestHeadersStart(Call call) {
      progress.requestStarted = true;
    }

    @Override
    public void requestHeadersEnd(Call call, Request request) {
      progress.requestStarted = true;
    }
  }

  /** A JSON body that OkHttp must never send twice: a create is never retried once it began to be sent. */
  private static final class OneShotJsonBody extends RequestBody {
    private final byte[] bytes;

    OneShotJsonBody(byte[] bytes) {
      this.bytes = bytes;
    }

    @Override
    public MediaType contentType() {
      return JSON;
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
      return "OneShotJsonBody[" + bytes.length + " bytes, " + StandardCharsets.UTF_8 + "]";
    }
  }
}
