package dev.apikeyoperator.issuer.statsig;

import com.fasterxml.jackson.databind.JsonNode;
import dev.apikeyoperator.secretvalue.KeyValue;
import dev.apikeyoperator.transport.VendorErrorException;
import dev.apikeyoperator.transport.VendorException;
import dev.apikeyoperator.transport.VendorOutcomeUnknownException;
import dev.apikeyoperator.transport.VendorUnreachableException;
import dev.apikeyoperator.transport.Answer;
import dev.apikeyoperator.transport.Exchange;
import dev.apikeyoperator.transport.Redaction;
import dev.apikeyoperator.transport.TransportLimits;
import dev.apikeyoperator.transport.VendorProfile;
import dev.apikeyoperator.transport.VendorTransport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.slf4j.LoggerFactory;

/**
 * Client of the Statsig Console API keys endpoints: creates, reads, updates, rotates, deactivates, deletes and lists
 * keys. It holds only endpoints, request JSON and answer parsing; the calls go through the {@link VendorTransport}
 * (deadline, size cap, redaction, error mapping). It never sleeps or retries on its own: failures are thrown as
 * {@link VendorException} subclasses and the caller reschedules.
 *
 * <p>Key values are also the keys' ids, so they appear in request paths: every call that carries one hides it, and
 * URLs are never logged or quoted.
 */
public final class StatsigClient {

  /** The {@code STATSIG-API-VERSION} header value. */
  public static final String API_VERSION = "20240601";

  static final String HEADER_API_KEY = "STATSIG-API-KEY";
  static final String HEADER_API_VERSION = "STATSIG-API-VERSION";

  private static final Pattern PAGE_PARAM = Pattern.compile("(?:^|[?&])page=(\\d+)(?:&|$|#)");
  private static final byte[] EMPTY = new byte[0];

  static final int PAGE_SIZE = 100;
  static final int MAX_PAGES = TransportLimits.DEFAULT.maxPages();

  static final String OP_CREATE = "create key";
  static final String OP_READ = "read key";
  static final String OP_UPDATE = "update key";
  static final String OP_ROTATE = "rotate key";
  static final String OP_DEACTIVATE = "deactivate key";
  static final String OP_DELETE = "delete key";
  static final String OP_LIST = "list keys";
  static final String OP_CHECK_CREDENTIALS = "check credentials";

  private final VendorTransport transport;
  private final HttpUrl base;
  private final int pageSize;

  /**
   * @param http shared client (connection pool, timeouts). Redirects are never followed (the console key must not
   *     travel to another host); the caller's event listeners are kept.
   * @throws IllegalArgumentException the base URL is invalid, or the console key holds characters that cannot be
   *     sent in a header (surrounding whitespace, e.g. a trailing newline in the Secret, is stripped first)
   */
  public StatsigClient(OkHttpClient http, StatsigEndpoint endpoint) {
    this(http, endpoint, TransportLimits.DEFAULT);
  }

  /** As the two-argument constructor, with other bounds on every call (deadline, answer size, pages). */
  public StatsigClient(OkHttpClient http, StatsigEndpoint endpoint, TransportLimits limits) {
    this(http, endpoint, PAGE_SIZE, limits);
  }

  /** As the public constructor, with another {@code limit} per list page (1..100) and page bound; for tests. */
  StatsigClient(OkHttpClient http, StatsigEndpoint endpoint, int pageSize, int maxPages) {
    this(http, endpoint, pageSize, TransportLimits.DEFAULT.withMaxPages(maxPages));
  }

  private StatsigClient(OkHttpClient http, StatsigEndpoint endpoint, int pageSize, TransportLimits limits) {
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(endpoint, "endpoint");
    if (pageSize < 1 || pageSize > PAGE_SIZE) {
      throw new IllegalArgumentException("pageSize must be 1.." + PAGE_SIZE);
    }
    this.pageSize = pageSize;
    String consoleKey = VendorProfile.headerValue(endpoint.consoleKey(), "the Statsig console key");
    this.base = VendorProfile.baseUrl("Statsig", endpoint.baseUrl());
    Headers headers = new Headers.Builder().add(HEADER_API_KEY, consoleKey).add(HEADER_API_VERSION, API_VERSION).build();
    VendorProfile profile = new VendorProfile("Statsig", base, headers,
        new Redaction(endpoint.consoleKey().reveal(), consoleKey),
        "the console key is not an active console key. The provider's credentials Secret must hold a Statsig "
            + "Console API key with the can_access_keys scope.",
        "insufficient permissions; the console key needs the can_access_keys scope.",
        "; the documented limit is about 100 mutations per 10 s and 900 per 15 min per project",
        "a new key may have been created at the vendor: look for it by its description marker");
    this.transport = new VendorTransport(http, profile, limits, LoggerFactory.getLogger(StatsigClient.class));
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
    return minted(Exchange.post(OP_CREATE, keysUrl().build(), StatsigBodies.create(request)).minting());
  }

  /** {@code GET /keys/{key}}; 404 (unknown or deleted) is empty. A deactivated key is returned (not active). */
  public Optional<StatsigKey> read(KeyValue key) {
    Objects.requireNonNull(key, "key");
    Exchange exchange = Exchange.get(OP_READ, keyUrl(key).build()).hiding(key.reveal());
    Answer answer = transport.send(exchange);
    if (answer.status() == 404) {
      return Optional.empty();
    }
    return Optional.of(parseKey(exchange, succeeded(exchange, answer)));
  }

  /**
   * {@code PATCH /keys/{key}} with the non-null fields of {@code update}: the same key, updated in place. Done when
   * the vendor answers 2xx, whatever the answer holds: the official example answer has no {@code key} in its
   * {@code data} (docs/integrations/vendor-apis.md), so an update is never taken as failed (and retried) for that.
   *
   * @throws VendorErrorException status 404 (permanent) when the key is unknown or deleted
   */
  public void update(KeyValue key, StatsigKeyUpdate update) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(update, "update");
    Exchange exchange = Exchange.patch(OP_UPDATE, keyUrl(key).build(), StatsigBodies.update(update)).hiding(key.reveal());
    succeeded(exchange, transport.send(exchange));
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
    HttpUrl url = keyUrl(key).addPathSegment("rotate").build();
    return minted(Exchange.patch(OP_ROTATE, url, EMPTY).minting().hiding(key.reveal()));
  }

  /**
   * {@code PATCH /keys/{key}/deactivate} (idempotent at the vendor).
   *
   * @throws VendorErrorException status 404 (permanent) when the key is unknown or deleted
   */
  public void deactivate(KeyValue key) {
    Objects.requireNonNull(key, "key");
    HttpUrl url = keyUrl(key).addPathSegment("deactivate").build();
    Exchange exchange = Exchange.patch(OP_DEACTIVATE, url, EMPTY).hiding(key.reveal());
    succeeded(exchange, transport.send(exchange));
  }

  /** {@code DELETE /keys/{key}}; 404 means already gone and is success. */
  public void delete(KeyValue key) {
    Objects.requireNonNull(key, "key");
    Exchange exchange = Exchange.delete(OP_DELETE, keyUrl(key).build()).hiding(key.reveal());
    Answer answer = transport.send(exchange);
    if (answer.status() != 404) {
      succeeded(exchange, answer);
    }
  }

  /**
   * {@code GET /keys?limit=100&page=N} from page 1, following {@code pagination.nextPage} until it is null. Only the
   * page number is taken from {@code nextPage}: the request always goes to the configured base URL. Deleted keys
   * are not listed; deactivated ones are.
   *
   * @throws VendorErrorException the listing goes on past the page cap of the transport
   */
  public List<StatsigKey> list() {
    Map<String, StatsigKey> byValue = new LinkedHashMap<>();
    VendorTransport.Listing listing = transport.listing(OP_LIST);
    int page = 1;
    for (int fetched = 0; fetched < transport.limits().maxPages(); fetched++) {
      Exchange exchange = Exchange.get(OP_LIST, listUrl(page, pageSize));
      JsonNode root = listing.page(exchange, succeeded(exchange, transport.send(exchange)));
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
    throw transport.tooManyPages(OP_LIST, pageSize);
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
    Exchange exchange = Exchange.get(OP_CHECK_CREDENTIALS, keysUrl().addQueryParameter("limit", "1").build());
    succeeded(exchange, transport.send(exchange));
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

  // ---------------------------------------------------------------- answer parsing

  /** The answer when it is a success, else its failure thrown; a 404 names what it means for this call. */
  private Answer succeeded(Exchange exchange, Answer answer) {
    if (answer.isSuccess()) {
      return answer;
    }
    if (answer.status() == 404) {
      String hint =
          switch (exchange.operation()) {
            case OP_UPDATE, OP_ROTATE, OP_DEACTIVATE, OP_READ, OP_DELETE ->
                ": the key does not exist at the vendor (deleted or never created)";
            default -> ": check the provider's baseUrl (e.g. https://statsigapi.net/console/v1)";
          };
      throw new VendorErrorException(transport.prefix(exchange) + " failed with HTTP 404" + hint + "."
          + transport.vendorSaid(exchange, answer), 404, true);
    }
    throw transport.failure(exchange, answer);
  }

  /** The key of a create or rotate answer; a success without a readable key means the outcome is unknown. */
  private StatsigKey minted(Exchange exchange) {
    Answer answer = succeeded(exchange, transport.send(exchange));
    JsonNode root = VendorTransport.readTreeOrNull(answer.body());
    StatsigKey key = root == null ? null : toKey(dataOf(root));
    if (key == null) {
      throw new VendorOutcomeUnknownException(
          transport.prefix(exchange) + ": the vendor answered HTTP " + answer.status() + " but the answer carries no "
              + "key; a new key may exist at the vendor: look for it by its description marker");
    }
    return key;
  }

  private StatsigKey parseKey(Exchange exchange, Answer answer) {
    JsonNode root = VendorTransport.readTreeOrNull(answer.body());
    StatsigKey key = root == null ? null : toKey(dataOf(root));
    if (key == null) {
      throw new VendorErrorException(transport.prefix(exchange) + ": the answer (HTTP " + answer.status()
          + ") carries no key: " + transport.excerpt(exchange, answer.body()), answer.status(), false);
    }
    return key;
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
    String value = VendorTransport.text(node, "key");
    if (value == null || value.isBlank()) {
      return null;
    }
    return new StatsigKey(
        KeyValue.of(value),
        VendorTransport.text(node, "type"),
        VendorTransport.text(node, "description"),
        strings(node.get("scopes")),
        strings(node.get("environments")),
        VendorTransport.text(node, "primaryTargetApp"),
        strings(node.get("secondaryTargetApps")),
        VendorTransport.text(node, "status"));
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
}
