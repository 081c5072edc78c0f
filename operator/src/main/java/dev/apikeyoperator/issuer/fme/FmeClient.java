package dev.apikeyoperator.issuer.fme;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apikeyoperator.secretvalue.KeyValue;
import dev.apikeyoperator.transport.VendorErrorException;
import dev.apikeyoperator.transport.VendorException;
import dev.apikeyoperator.transport.VendorOutcomeUnknownException;
import dev.apikeyoperator.transport.VendorUnauthorizedException;
import dev.apikeyoperator.transport.VendorUnreachableException;
import dev.apikeyoperator.transport.Answer;
import dev.apikeyoperator.transport.Exchange;
import dev.apikeyoperator.transport.Redaction;
import dev.apikeyoperator.transport.TransportLimits;
import dev.apikeyoperator.transport.VendorProfile;
import dev.apikeyoperator.transport.VendorTransport;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.slf4j.LoggerFactory;

/**
 * Client of the Harness FME (formerly Split) Admin API: creates and revokes API keys, lists projects
 * (workspaces) and environments. It holds only endpoints, request JSON and answer parsing; the calls go through
 * the {@link VendorTransport} (deadline, size cap, redaction, error mapping). It never sleeps or retries on its
 * own: failures are thrown as {@link VendorException} subclasses and the caller reschedules.
 */
public final class FmeClient {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  static final int PAGE_SIZE = 100;

  static final String OP_CREATE = "create key";
  static final String OP_REVOKE = "revoke key";
  static final String OP_LIST_PROJECTS = "list projects";
  static final String OP_LIST_ENVIRONMENTS = "list environments";
  static final String OP_CHECK_CREDENTIALS = "check credentials";

  /** Ids of the probe: no vendor id or key value looks like this. */
  static final String PROBE_ID_PREFIX = "apikey-operator-probe-";

  private static final String CREDENTIAL_HINT = "The provider's credentials Secret must hold a valid admin "
      + "credential with API_ALL_GRANTED or API_APIKEY.";

  private final VendorTransport transport;
  private final HttpUrl base;

  /**
   * @param http shared client (connection pool, timeouts). Redirects are never followed (the credential must
   *     not travel to another host); the caller's event listeners are kept.
   * @throws IllegalArgumentException the base URL is invalid, or the credential holds characters that cannot be
   *     sent in a header (surrounding whitespace is stripped first); the message names it by fingerprint only
   */
  public FmeClient(OkHttpClient http, FmeEndpoint endpoint) {
    this(http, endpoint, TransportLimits.DEFAULT);
  }

  /** As the two-argument constructor, with other bounds on every call (deadline, answer size, pages). */
  public FmeClient(OkHttpClient http, FmeEndpoint endpoint, TransportLimits limits) {
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(endpoint, "endpoint");
    String token = VendorProfile.headerValue(endpoint.credential(), "the FME admin credential");
    this.base = VendorProfile.baseUrl("FME", endpoint.baseUrl());
    Headers.Builder headers = new Headers.Builder().add("Content-Type", "application/json");
    switch (endpoint.scheme()) {
      case Bearer -> headers.add("Authorization", "Bearer " + token);
      case XApiKey -> headers.add("x-api-key", token);
    }
    VendorProfile profile = new VendorProfile("FME", base, headers.build(),
        new Redaction(endpoint.credential().reveal(), token),
        "the credential is invalid, expired, sent with the wrong scheme (Bearer or XApiKey), or scoped too narrowly. "
            + CREDENTIAL_HINT,
        "the credential is not allowed to do this. " + CREDENTIAL_HINT,
        "",
        "the key may have been created at the vendor");
    this.transport = new VendorTransport(http, profile, limits, LoggerFactory.getLogger(FmeClient.class));
  }

  /**
   * A client with the given timeouts (defaults 5 s connect, 20 s read/write when {@code null}), that never
   * retries on connection failure and never follows redirects; see {@link VendorTransport#defaultHttpClient}.
   */
  public static OkHttpClient defaultHttpClient(Duration connectTimeout, Duration readTimeout) {
    return VendorTransport.defaultHttpClient(connectTimeout, readTimeout);
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
    Exchange exchange = Exchange.post(OP_CREATE, url("apiKeys"), createBody(request)).minting();
    Answer answer = transport.send(exchange);
    if (answer.status() == 402) {
      // Seen from the real API: {"message":"Forbidden by Paywalls"}; the same request fails the same way
      throw new VendorErrorException("FME " + OP_CREATE + " was refused with HTTP 402 Payment Required: the FME "
          + "account's plan does not include " + request.apiKeyType() + " API keys, so nothing was created."
          + " Use a server_side or client_side key, or an FME plan with admin API keys." + transport.vendorSaid(exchange, answer), 402, true);
    }
    if (!answer.isSuccess()) {
      throw transport.failure(exchange, answer);
    }
    return parseCreated(request, answer);
  }

  /**
   * {@code DELETE /apiKeys/{idOrKeyValue}}: by id when the create response carried one, else by key value.
   *
   * @return {@code true} for 200/204 (revoked now), {@code false} for 404, which means "does not exist or this
   *     credential has no access to it" (docs/integrations/vendor-apis.md): only a caller known to be GLOBAL-scope may read
   *     it as "already gone"
   */
  public boolean revoke(String idOrKeyValue) {
    if (idOrKeyValue == null || idOrKeyValue.isBlank()) {
      throw new IllegalArgumentException("revoke needs a key id or key value");
    }
    Exchange exchange = Exchange.delete(OP_REVOKE, url("apiKeys", idOrKeyValue)).hiding(idOrKeyValue);
    Answer answer = transport.send(exchange);
    if (answer.status() == 404) {
      return false;
    }
    if (!answer.isSuccess()) {
      throw transport.failure(exchange, answer);
    }
    return true;
  }

  /**
   * {@code GET /workspaces?offset=&limit=100}, paged until {@code totalCount} is reached.
   *
   * @throws VendorErrorException the listing goes on past the page cap of the transport
   */
  public List<FmeWorkspace> listWorkspaces() {
    Map<String, FmeWorkspace> byId = new LinkedHashMap<>();
    VendorTransport.Listing listing = transport.listing(OP_LIST_PROJECTS);
    int offset = 0;
    for (int page = 0; page < transport.limits().maxPages(); page++) {
      JsonNode root = listing.page(Exchange.get(OP_LIST_PROJECTS, workspacesUrl(offset, PAGE_SIZE)));
      JsonNode objects = root.get("objects");
      if (objects == null || !objects.isArray()) {
        throw new VendorErrorException(
            "FME " + OP_LIST_PROJECTS + ": the answer has no \"objects\" array", 200, false);
      }
      for (JsonNode o : objects) {
        String id = VendorTransport.text(o, "id");
        if (id != null) {
          byId.putIfAbsent(id, new FmeWorkspace(id, VendorTransport.text(o, "name")));
        }
      }
      int n = objects.size();
      offset += n;
      if (isLastPage(n, root.get("totalCount"), offset)) {
        return List.copyOf(byId.values());
      }
    }
    throw transport.tooManyPages(OP_LIST_PROJECTS, PAGE_SIZE);
  }

  /** An empty page ends paging whatever totalCount says; else totalCount when given, else a short page. */
  private static boolean isLastPage(int size, JsonNode total, int offset) {
    if (size == 0) {
      return true;
    }
    if (total != null && total.canConvertToLong()) {
      return offset >= total.asLong();
    }
    return size < PAGE_SIZE;
  }

  /** {@code GET /environments/ws/{workspaceId}}: a plain JSON array. */
  public List<FmeEnvironment> listEnvironments(String workspaceId) {
    Objects.requireNonNull(workspaceId, "workspaceId");
    JsonNode root = transport.json(Exchange.get(OP_LIST_ENVIRONMENTS, url("environments", "ws", workspaceId)));
    JsonNode items = root.isArray() ? root : root.get("objects");
    if (items == null || !items.isArray()) {
      throw new VendorErrorException(
          "FME " + OP_LIST_ENVIRONMENTS + ": the answer is not a JSON array", 200, false);
    }
    List<FmeEnvironment> result = new ArrayList<>();
    for (JsonNode o : items) {
      String id = VendorTransport.text(o, "id");
      if (id != null) {
        result.add(new FmeEnvironment(id, VendorTransport.text(o, "name")));
      }
    }
    return List.copyOf(result);
  }

  /**
   * {@code GET /workspaces?offset=0&limit=1}; when refused (401/403), tells a bad credential from one without a
   * read role ({@code API_APIKEY} only) with {@link #probeAuthenticated}. Throws unless the credential works.
   *
   * @return {@code true} when the credential may list projects and environments (look names up), {@code false}
   *     when it is authenticated but may not (ids only)
   */
  public boolean checkCredentials() {
    Exchange exchange = Exchange.get(OP_CHECK_CREDENTIALS, workspacesUrl(0, 1));
    Answer answer = transport.send(exchange);
    if (answer.isSuccess()) {
      return true;
    }
    VendorException refused = transport.failure(exchange, answer);
    if (refused instanceof VendorUnauthorizedException && probeAuthenticated()) {
      return false;
    }
    throw refused;
  }

  /**
   * {@code DELETE /apiKeys/<an id that cannot exist>}: a call an {@code API_APIKEY} credential may make and that
   * changes nothing. 404: the vendor knows the caller (the key does not exist); 401 or 403: it does not, or the
   * credential may not even manage keys.
   */
  public boolean probeAuthenticated() {
    String id = PROBE_ID_PREFIX + UUID.randomUUID();
    Exchange exchange = Exchange.delete(OP_CHECK_CREDENTIALS, url("apiKeys", id));
    Answer answer = transport.send(exchange);
    if (answer.status() == 404) {
      return true;
    }
    if (answer.status() == 401 || answer.status() == 403) {
      return false;
    }
    throw transport.failure(exchange, answer);
  }

  // ---------------------------------------------------------------- request building

  private HttpUrl url(String... segments) {
    HttpUrl.Builder builder = base.newBuilder();
    for (String segment : segments) {
      builder.addPathSegment(segment);
    }
    return builder.build();
  }

  private HttpUrl workspacesUrl(int offset, int limit) {
    return base.newBuilder()
        .addPathSegment("workspaces")
        .addQueryParameter("offset", Integer.toString(offset))
        .addQueryParameter("limit", Integer.toString(limit))
        .build();
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

  // ---------------------------------------------------------------- answer parsing

  private FmeCreatedKey parseCreated(FmeKeyRequest request, Answer answer) {
    String noKey =
        "FME " + OP_CREATE + " \"" + request.name() + "\": the vendor answered HTTP " + answer.status()
            + " but the answer carries no key value; a key of that name may exist at the vendor: "
            + "check the FME UI and revoke it by hand if so";
    JsonNode root = VendorTransport.readTreeOrNull(answer.body());
    if (root == null) {
      throw new VendorErrorException(noKey + " (the answer is not JSON)", answer.status(), true);
    }
    String key = VendorTransport.text(root, "key");
    if (key == null || key.isBlank()) {
      throw new VendorErrorException(noKey, answer.status(), true);
    }
    String id = VendorTransport.text(root, "id");
    if (id != null && id.isBlank()) {
      id = null;
    }
    String name = VendorTransport.text(root, "name");
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
}
