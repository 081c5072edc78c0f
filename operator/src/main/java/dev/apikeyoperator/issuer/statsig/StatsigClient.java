package dev.apikeyoperator.issuer.statsig;

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
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * Client of the Statsig Console API keys endpoints: creates, reads, updates, rotates, deactivates, deletes and lists
 * keys. It never sleeps or retries on its own: failures are thrown as {@link VendorException} subclasses and the
 * caller reschedules.
 *
 * <p>Key values (which are also the keys' ids, so they appear in request paths) and the console key never appear in
 * exception messages or logs: URLs are never logged or quoted, vendor bodies are redacted. Logging is at DEBUG only:
 * operation, status and duration.
 */
public final class StatsigClient {

  /** The {@code STATSIG-API-VERSION} header value. */
  public static final String API_VERSION = "20240601";

  static final String HEADER_API_KEY = "STATSIG-API-KEY";
  static final String HEADER_API_VERSION = "STATSIG-API-VERSION";

  private static final Logger LOG = LoggerFactory.getLogger(StatsigClient.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final MediaType JSON = MediaType.get("application/json");
  private static final String REDACTED = "<redacted>";
  /** Anything shaped like a Statsig key value (secret-, client-, console- followed by a long token). */
  private static final Pattern KEY_SHAPED = Pattern.compile("(?i)\\b(?:secret|client|console)-[A-Za-z0-9]{10,}");
  private static final Pattern PAGE_PARAM = Pattern.compile("(?:^|[?&])page=(\\d+)(?:&|$|#)");

  static final int PAGE_SIZE = 100;
  static final int MAX_PAGES = 1000;
  static final int MAX_ERROR_BODY_CHARS = 300;

  static final String OP_CREATE = "create key";
  static final String OP_READ = "read key";
  static final String OP_UPDATE = "update key";
  static final String OP_ROTATE = "rotate key";
  static final String OP_DEACTIVATE = "deactivate key";
  static final String OP_DELETE = "delete key";
  static final String OP_LIST = "list keys";
  static final String OP_CHECK_CREDENTIALS = "check credentials";

  private final OkHttpClient http;
  private final String consoleKey;
  private final HttpUrl base;
  private final int pageSize;
  private final int maxPages;

  /**
   * @param http shared client (connection pool, timeouts). Redirects are never followed (the console key must not
   *     travel to another host); the caller's event listeners are kept.
   * @throws IllegalArgumentException the base URL is invalid, or the console key holds characters that cannot be
   *     sent in a header (surrounding whitespace, e.g. a trailing newline in the Secret, is stripped first)
   */
  public StatsigClient(OkHttpClient http, StatsigEndpoint endpoint) {
    this(http, endpoint, PAGE_SIZE, MAX_PAGES);
  }

  /** As the public constructor, with another {@code limit} per list page (1..100) and page bound; for tests. */
  StatsigClient(OkHttpClient http, StatsigEndpoint endpoint, int pageSize, int maxPages) {
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(endpoint, "endpoint");
    if (pageSize < 1 || pageSize > PAGE_SIZE) {
      throw new IllegalArgumentException("pageSize must be 1.." + PAGE_SIZE);
    }
    if (maxPages < 1) {
      throw new IllegalArgumentException("maxPages must be >= 1");
    }
    this.pageSize = pageSize;
    this.maxPages = maxPages;
    String key = endpoint.consoleKey().reveal().strip();
    if (key.isEmpty() || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      // never quote the value: OkHttp's own header check would put it in its exception message
      throw new IllegalArgumentException(
          "the Statsig console key (" + endpoint.consoleKey().fingerprint() + ") contains characters that cannot be "
              + "sent in an HTTP header; the provider's credentials Secret must hold only the console key");
    }
    this.consoleKey = key;
    String url = endpoint.baseUrl().strip();
    while (url.endsWith("/")) {
      url = url.substring(0, url.length() - 1);
    }
    HttpUrl parsed = HttpUrl.parse(url);
    if (parsed == null) {
      throw new IllegalArgumentException("invalid Statsig baseUrl: " + url);
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

  // ---------------------------------------------------------------- operations

  /**
   * {@code POST /keys} (200 or 201). Exactly one request is sent (never retried, even by OkHttp).
   *
   * @throws VendorOutcomeUnknownException the request was sent but no complete answer arrived, or a success answer
   *     carried no key: the key may exist; find it with {@link #findByDescriptionMarker(String)}
   * @throws VendorUnreachableException the request was certainly not sent
   */
  public StatsigKey create(StatsigKeyRequest request) {
    Objects.requireNonNull(request, "request");
    byte[] body = createBody(request);
    HttpUrl url = keysUrl().build();
    Request httpRequest = authorized(url).post(new OneShotBody(body, JSON)).build();
    Answer answer = execute(OP_CREATE, httpRequest, true);
    if (!answer.isSuccess()) {
      throw failure(OP_CREATE, answer);
    }
    return parseMinted(OP_CREATE, answer);
  }

  /** {@code GET /keys/{key}}; 404 (unknown or deleted) is empty. A deactivated key is returned (not active). */
  public Optional<StatsigKey> read(KeyValue key) {
    Objects.requireNonNull(key, "key");
    Request request = authorized(keyUrl(key).build()).get().build();
    Answer answer = execute(OP_READ, request, false, key.reveal());
    if (answer.status == 404) {
      return Optional.empty();
    }
    if (!answer.isSuccess()) {
      throw failure(OP_READ, answer, key.reveal());
    }
    return Optional.of(parseKey(OP_READ, answer, key.reveal()));
  }

  /**
   * {@code PATCH /keys/{key}} with the non-null fields of {@code update}; the same key, updated in place.
   *
   * @throws VendorErrorException status 404 (permanent) when the key is unknown or deleted
   */
  public StatsigKey update(KeyValue key, StatsigKeyUpdate update) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(update, "update");
    Request request =
        authorized(keyUrl(key).build()).patch(RequestBody.create(updateBody(update), JSON)).build();
    Answer answer = execute(OP_UPDATE, request, false, key.reveal());
    if (!answer.isSuccess()) {
      throw failure(OP_UPDATE, answer, key.reveal());
    }
    return parseKey(OP_UPDATE, answer, key.reveal());
  }

  /**
   * {@code PATCH /keys/{key}/rotate}: returns the NEW key (same type, description, scopes, environments, target
   * apps). Assume the old key stops working at once. Exactly one request is sent.
   *
   * @throws VendorOutcomeUnknownException the request was sent but no answer arrived: a new key (with the same
   *     description) may exist and the old one may be gone; find it with {@link #findByDescriptionMarker(String)}
   * @throws VendorErrorException status 404 (permanent) when the key is unknown or deleted
   */
  public StatsigKey rotate(KeyValue key) {
    Objects.requireNonNull(key, "key");
    Request request =
        authorized(keyUrl(key).addPathSegment("rotate").build()).patch(new OneShotBody(new byte[0], null)).build();
    Answer answer = execute(OP_ROTATE, request, true, key.reveal());
    if (!answer.isSuccess()) {
      throw failure(OP_ROTATE, answer, key.reveal());
    }
    return parseMinted(OP_ROTATE, answer);
  }

  /**
   * {@code PATCH /keys/{key}/deactivate} (idempotent at the vendor).
   *
   * @throws VendorErrorException status 404 (permanent) when the key is unknown or deleted
   */
  public void deactivate(KeyValue key) {
    Objects.requireNonNull(key, "key");
    Request request =
        authorized(keyUrl(key).addPathSegment("deactivate").build()).patch(RequestBody.create(new byte[0])).build();
    Answer answer = execute(OP_DEACTIVATE, request, false, key.reveal());
    if (!answer.isSuccess()) {
      throw failure(OP_DEACTIVATE, answer, key.reveal());
    }
  }

  /** {@code DELETE /keys/{key}}; 404 means already gone and is success. */
  public void delete(KeyValue key) {
    Objects.requireNonNull(key, "key");
    Request request = authorized(keyUrl(key).build()).delete().build();
    Answer answer = execute(OP_DELETE, request, false, key.reveal());
    if (answer.status == 404 || answer.isSuccess()) {
      return;
    }
    throw failure(OP_DELETE, answer, key.reveal());
  }

  /**
   * {@code GET /keys?limit=100&page=N} from page 1, following {@code pagination.nextPage} until it is null (at most
   * 1000 pages). Only the page number is taken from {@code nextPage}: the request always goes to the configured base
   * URL. Deleted keys are not listed; deactivated ones are.
   */
  public List<StatsigKey> list() {
    Map<String, StatsigKey> byValue = new LinkedHashMap<>();
    int page = 1;
    for (int fetched = 0; fetched < maxPages; fetched++) {
      JsonNode root = getJson(OP_LIST, listUrl(page, pageSize));
      JsonNode data = root.get("data");
      if (data == null || !data.isArray()) {
        throw new VendorErrorException("Statsig " + OP_LIST + ": the answer has no \"data\" array", 200, false);
      }
      for (JsonNode item : data) {
        StatsigKey key = toKey(item);
        if (key != null) {
          byValue.putIfAbsent(key.key().reveal(), key);
        }
      }
      Integer next = nextPage(root.get("pagination"), page);
      if (next == null || data.isEmpty()) {
        return List.copyOf(byValue.values());
      }
      page = next;
    }
    LOG.debug("Statsig {} stopped after {} pages", OP_LIST, maxPages);
    return List.copyOf(byValue.values());
  }

  /**
   * The listed key whose description ends with {@code "(" + marker + ")"} (an active one first, else the first in
   * list order), or empty. Used to resolve a create or rotate whose answer was lost.
   */
  public Optional<StatsigKey> findByDescriptionMarker(String marker) {
    if (marker == null || marker.isBlank()) {
      throw new IllegalArgumentException("marker must not be blank");
    }
    String suffix = "(" + marker + ")";
    List<StatsigKey> matches =
        list().stream().filter(k -> k.description() != null && k.description().strip().endsWith(suffix)).toList();
    return matches.stream().filter(StatsigKey::active).findFirst().or(() -> matches.stream().findFirst());
  }

  /** {@code GET /keys?limit=1}: throws unless the console key works and has the {@code can_access_keys} scope. */
  public void checkCredentials() {
    Request request = authorized(keysUrl().addQueryParameter("limit", "1").build()).get().build();
    Answer answer = execute(OP_CHECK_CREDENTIALS, request, false);
    if (!answer.isSuccess()) {
      throw failure(OP_CHECK_CREDENTIALS, answer);
    }
  }

  // ---------------------------------------------------------------- request building

  private HttpUrl.Builder keysUrl() {
    return base.newBuilder().addPathSegment("keys");
  }

  private HttpUrl.Builder keyUrl(KeyValue key) {
    return keysUrl().addPathSegment(key.reveal());
  }

  private HttpUrl listUrl(int page, int limit) {
    return keysUrl()
        .addQueryParameter("limit", Integer.toString(limit))
        .addQueryParameter("page", Integer.toString(page))
        .build();
  }

  private Request.Builder authorized(HttpUrl url) {
    return new Request.Builder()
        .url(url)
        .header(HEADER_API_KEY, consoleKey)
        .header(HEADER_API_VERSION, API_VERSION)
        .header("Accept", "application/json")
        .header("User-Agent", "apikey-operator");
  }

  static byte[] createBody(StatsigKeyRequest request) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("type", request.type());
    root.put("description", request.description());
    putListIfNotEmpty(root, "scopes", request.scopes());
    putListIfNotEmpty(root, "environments", request.environments());
    if (request.targetAppID() != null) {
      root.put("targetAppID", request.targetAppID());
    }
    putListIfNotEmpty(root, "secondaryTargetAppIDs", request.secondaryTargetAppIDs());
    return bytes(root);
  }

  static byte[] updateBody(StatsigKeyUpdate update) {
    ObjectNode root = MAPPER.createObjectNode();
    if (update.description() != null) {
      root.put("description", update.description());
    }
    putListIfNotNull(root, "scopes", update.scopes());
    putListIfNotNull(root, "environments", update.environments());
    if (update.targetAppID() != null) {
      root.put("targetAppID", update.targetAppID());
    }
    putListIfNotNull(root, "secondaryTargetAppIDs", update.secondaryTargetAppIDs());
    return bytes(root);
  }

  private static void putListIfNotEmpty(ObjectNode root, String field, List<String> values) {
    if (!values.isEmpty()) {
      putListIfNotNull(root, field, values);
    }
  }

  private static void putListIfNotNull(ObjectNode root, String field, List<String> values) {
    if (values != null) {
      ArrayNode array = root.putArray(field);
      values.forEach(array::add);
    }
  }

  private static byte[] bytes(ObjectNode root) {
    try {
      return MAPPER.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize a request body", e);
    }
  }

  // ---------------------------------------------------------------- response handling

  /** The key of a create or rotate answer; a success without a readable key means the outcome is unknown. */
  private StatsigKey parseMinted(String operation, Answer answer) {
    JsonNode root = readTreeOrNull(answer.body);
    StatsigKey key = root == null ? null : toKey(dataOf(root));
    if (key == null) {
      throw new VendorOutcomeUnknownException(
          "Statsig " + operation + ": the vendor answered HTTP " + answer.status + " but the answer carries no key; "
              + "a new key may exist at the vendor: look for it by its description marker");
    }
    return key;
  }

  private StatsigKey parseKey(String operation, Answer answer, String... secrets) {
    JsonNode root = readTreeOrNull(answer.body);
    StatsigKey key = root == null ? null : toKey(dataOf(root));
    if (key == null) {
      throw new VendorErrorException(
          "Statsig " + operation + ": the answer (HTTP " + answer.status + ") carries no key: "
              + excerpt(answer.body, secrets),
          answer.status,
          false);
    }
    return key;
  }

  private static JsonNode readTreeOrNull(String body) {
    try {
      JsonNode root = MAPPER.readTree(body);
      return root == null || root.isMissingNode() ? null : root;
    } catch (JsonProcessingException e) {
      // never attach e: its message may quote the body, which may hold a key value
      return null;
    }
  }

  private static JsonNode dataOf(JsonNode root) {
    JsonNode data = root.get("data");
    return data != null && data.isObject() ? data : root;
  }

  /** A key from a data object, or null when it has no key value. */
  private static StatsigKey toKey(JsonNode node) {
    if (node == null || !node.isObject()) {
      return null;
    }
    String value = text(node, "key");
    if (value == null || value.isBlank()) {
      return null;
    }
    return new StatsigKey(
        KeyValue.of(value),
        text(node, "type"),
        text(node, "description"),
        strings(node.get("scopes")),
        strings(node.get("environments")),
        text(node, "primaryTargetApp"),
        strings(node.get("secondaryTargetApps")),
        text(node, "status"));
  }

  private static List<String> strings(JsonNode node) {
    if (node == null || !node.isArray()) {
      return List.of();
    }
    List<String> result = new ArrayList<>();
    for (JsonNode item : node) {
      if (item != null && item.isValueNode() && !item.isNull()) {
        result.add(item.asText());
      }
    }
    return result;
  }

  /**
   * The page number in {@code pagination.nextPage} (a link such as {@code /console/v1/keys?page=3&limit=100}, or a
   * number), or null when it is absent or null.
   *
   * @throws VendorErrorException nextPage is present but does not name a later page than {@code current}
   */
  static Integer nextPage(JsonNode pagination, int current) {
    if (pagination == null || !pagination.isObject()) {
      return null;
    }
    JsonNode next = pagination.get("nextPage");
    if (next == null || next.isNull()) {
      return null;
    }
    Integer page = null;
    if (next.isIntegralNumber()) {
      page = next.asInt();
    } else if (next.isTextual()) {
      String text = next.asText().strip();
      if (text.isEmpty()) {
        return null;
      }
      Matcher m = PAGE_PARAM.matcher(text);
      if (m.find()) {
        page = parseIntOrNull(m.group(1));
      } else {
        page = parseIntOrNull(text);
      }
    }
    if (page == null || page <= current) {
      throw new VendorErrorException(
          "Statsig " + OP_LIST + ": pagination.nextPage does not name a later page than page " + current, 200, false);
    }
    return page;
  }

  private static Integer parseIntOrNull(String s) {
    try {
      return Integer.valueOf(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private JsonNode getJson(String operation, HttpUrl url) {
    Request request = authorized(url).get().build();
    Answer answer = execute(operation, request, false);
    if (!answer.isSuccess()) {
      throw failure(operation, answer);
    }
    JsonNode root = readTreeOrNull(answer.body);
    if (root == null) {
      throw new VendorErrorException(
          "Statsig " + operation + ": the answer is not JSON: " + excerpt(answer.body), answer.status, false);
    }
    return root;
  }

  private VendorException failure(String operation, Answer answer, String... secrets) {
    int status = answer.status;
    String said = vendorMessage(answer.body, secrets);
    String vendorSaid = said.isEmpty() ? "" : " The vendor said: " + said;
    if (status == 401) {
      return new VendorUnauthorizedException(
          "Statsig " + operation + " was refused with HTTP 401 Unauthorized: the console key is not an active console "
              + "key. The provider's credentials Secret must hold a Statsig Console API key with the can_access_keys "
              + "scope." + vendorSaid,
          401);
    }
    if (status == 403) {
      return new VendorUnauthorizedException(
          "Statsig " + operation + " was refused with HTTP 403 Forbidden: insufficient permissions; the console key "
              + "needs the can_access_keys scope." + vendorSaid,
          403);
    }
    if (status == 429) {
      Duration retryAfter = retryAfter(answer.retryAfter, Instant.now());
      return new VendorRateLimitedException(
          "Statsig " + operation + " was rate-limited (HTTP 429; the documented limit is about 100 mutations per 10 s "
              + "and 900 per 15 min per project); "
              + (retryAfter == null ? "the vendor gave no retry hint" : "retry after " + retryAfter.toSeconds() + " s")
              + "." + vendorSaid,
          retryAfter);
    }
    if (status == 404) {
      String hint =
          switch (operation) {
            case OP_UPDATE, OP_ROTATE, OP_DEACTIVATE, OP_READ, OP_DELETE ->
                ": the key does not exist at the vendor (deleted or never created)";
            default -> ": check the provider's baseUrl (e.g. https://statsigapi.net/console/v1)";
          };
      return new VendorErrorException(
          "Statsig " + operation + " failed with HTTP 404" + hint + "." + vendorSaid, 404, true);
    }
    boolean permanent = VendorErrorException.isPermanentStatus(status);
    return new VendorErrorException(
        "Statsig " + operation + " failed with HTTP " + status + (said.isEmpty() ? "" : ": " + said), status, permanent);
  }

  /** {@code Retry-After} as seconds or an HTTP date, else {@code null}. */
  static Duration retryAfter(String header, Instant now) {
    if (header == null || header.isBlank()) {
      return null;
    }
    try {
      double s = Double.parseDouble(header.strip());
      if (Double.isNaN(s) || Double.isInfinite(s) || s < 0) {
        return null;
      }
      return Duration.ofMillis((long) Math.ceil(s * 1000));
    } catch (NumberFormatException e) {
      // an HTTP date
    }
    try {
      Instant at = ZonedDateTime.parse(header.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration wait = Duration.between(now, at);
      return wait.isNegative() ? Duration.ZERO : wait;
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** The {@code message} of a JSON error body when there is one, else the body as text; redacted and truncated. */
  private String vendorMessage(String body, String... secrets) {
    JsonNode root = readTreeOrNull(body);
    if (root != null && root.isObject()) {
      String message = text(root, "message");
      if (message != null && !message.isBlank()) {
        return excerpt(message, secrets);
      }
    }
    return excerpt(body, secrets);
  }

  /** The text as one line, every secret replaced by {@code <redacted>}, at most 300 characters. */
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

  /** Removes the console key, the given secrets and anything shaped like a Statsig key value. */
  String redact(String text, String... secrets) {
    if (text == null) {
      return null;
    }
    String result = text.replace(consoleKey, REDACTED);
    for (String secret : secrets) {
      if (secret != null && !secret.isEmpty()) {
        result = result.replace(secret, REDACTED);
      }
    }
    return KEY_SHAPED.matcher(result).replaceAll(REDACTED);
  }

  // ---------------------------------------------------------------- transport

  /**
   * One HTTP exchange: any status, with the body fully read. I/O failures become vendor exceptions: outcome unknown
   * when {@code mints} and the request began to be sent, else unreachable.
   */
  private Answer execute(String operation, Request request, boolean mints, String... secrets) {
    SendProgress progress = new SendProgress();
    Request tagged = request.newBuilder().tag(SendProgress.class, progress).build();
    long start = System.nanoTime();
    try (Response response = http.newCall(tagged).execute()) {
      ResponseBody body = response.body();
      String text = body == null ? "" : body.string();
      LOG.debug("Statsig {} answered HTTP {} in {} ms", operation, response.code(), millisSince(start));
      return new Answer(response.code(), text, response.header("Retry-After"));
    } catch (IOException e) {
      LOG.debug("Statsig {} failed after {} ms: {}", operation, millisSince(start), e.getClass().getSimpleName());
      String what = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + excerpt(e.getMessage(), secrets));
      Throwable cause = safeCause(e, secrets);
      if (mints && progress.requestStarted) {
        throw new VendorOutcomeUnknownException(
            "Statsig " + operation + ": the request was sent to " + base.host() + " but no answer arrived (" + what
                + "); a new key may have been created at the vendor: look for it by its description marker",
            cause);
      }
      throw new VendorUnreachableException(
          "Statsig " + operation + ": cannot reach " + base.host() + " (" + what + ")", cause);
    }
  }

  /** The exception itself, unless any message in its chain contains a secret (then none is attached). */
  private Throwable safeCause(Throwable e, String... secrets) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String message = t.getMessage();
      if (message != null && !message.equals(redact(message, secrets))) {
        return null;
      }
      for (Throwable s : t.getSuppressed()) {
        if (s.getMessage() != null && !s.getMessage().equals(redact(s.getMessage(), secrets))) {
          return null;
        }
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

  /** A complete HTTP answer. */
  private record Answer(int status, String body, String retryAfter) {
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
