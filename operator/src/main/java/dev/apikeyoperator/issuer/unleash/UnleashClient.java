package dev.apikeyoperator.issuer.unleash;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apikeyoperator.secretvalue.KeyValue;
import dev.apikeyoperator.transport.VendorErrorException;
import dev.apikeyoperator.transport.VendorOutcomeUnknownException;
import dev.apikeyoperator.transport.Answer;
import dev.apikeyoperator.transport.Exchange;
import dev.apikeyoperator.transport.Redaction;
import dev.apikeyoperator.transport.TransportLimits;
import dev.apikeyoperator.transport.VendorProfile;
import dev.apikeyoperator.transport.VendorTransport;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.slf4j.LoggerFactory;

/**
 * Client of the Unleash Admin API's token endpoints ({@code /api/admin/api-tokens}): create, list by name, set an
 * expiry, delete. Only endpoints, request JSON and answer parsing live here; the calls go through the
 * {@link VendorTransport} (deadline, size cap, redaction, error mapping). It never sleeps nor retries.
 *
 * <p>A token's secret is also its handle in the delete and update paths: every call that carries one hides it, and
 * URLs are never logged or quoted.
 */
public final class UnleashClient {
  static final String OP_CREATE = "create token";
  static final String OP_LIST = "list tokens";
  static final String OP_EXPIRE = "set token expiry";
  static final String OP_DELETE = "delete token";
  static final String OP_CHECK_CREDENTIALS = "check credentials";
  /** A token name no one uses: listing it proves the credential may read tokens, and answers almost nothing. */
  static final String CREDENTIAL_CHECK_NAME = "apikey-operator-credential-check";
  /** More tokens of one name than this is not the operator's doing: the answer is refused. */
  static final int MAX_TOKENS = 10_000;

  private static final ObjectMapper MAPPER = new ObjectMapper();
  /**
   * Unleash runs on Node.js, which closes a keep-alive connection after 5 s idle; the operator never retries on a
   * dropped connection, so an idle connection is given up before the server can close it under a request.
   */
  private static final ConnectionPool POOL = new ConnectionPool(8, 2, TimeUnit.SECONDS);

  private final VendorTransport transport;
  private final HttpUrl base;

  /**
   * @param baseUrl the server's root (its API is under {@code /api}), with or without a trailing slash
   * @param credential an admin API token or a personal access token, sent as {@code Authorization}
   * @throws IllegalArgumentException the base URL is invalid, or the credential cannot be sent in a header
   */
  public UnleashClient(OkHttpClient http, String baseUrl, KeyValue credential) {
    this(http, baseUrl, credential, TransportLimits.DEFAULT);
  }

  public UnleashClient(OkHttpClient http, String baseUrl, KeyValue credential, TransportLimits limits) {
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(credential, "credential");
    String token = VendorProfile.headerValue(credential, "the Unleash admin token");
    this.base = VendorProfile.baseUrl("Unleash", baseUrl);
    VendorProfile profile = new VendorProfile("Unleash", base, new Headers.Builder().add("Authorization", token)
        .build(), new Redaction(credential.reveal(), token),
        "the token is not a valid Unleash admin token. The provider's credentials Secret must hold an admin API "
            + "token or a personal access token of this Unleash instance.",
        "the token may not manage API tokens (or not in this project); use an admin token, or a personal access "
            + "token of a user with the permission to create and delete API tokens.",
        "",
        "a token may have been created at Unleash: look for it by its name");
    this.transport = new VendorTransport(http.newBuilder().connectionPool(POOL).build(), profile, limits,
        LoggerFactory.getLogger(UnleashClient.class));
  }

  /**
   * {@code POST /api/admin/api-tokens}; sent exactly once.
   *
   * @throws VendorOutcomeUnknownException the request was sent but no complete answer arrived, or the answer held
   *     no secret: the token may exist; find it with {@link #listByName(String)}
   */
  public UnleashToken create(UnleashTokenRequest request) {
    Exchange exchange = Exchange.post(OP_CREATE, tokensUrl().build(), createBody(request)).minting();
    Answer answer = succeeded(exchange, transport.send(exchange));
    JsonNode root = transport.json(exchange, answer);
    UnleashToken token = toToken(root);
    if (token == null || token.secret() == null) {
      throw new VendorOutcomeUnknownException("Unleash " + OP_CREATE + ": the answer (HTTP " + answer.status()
          + ") carries no token secret; a token may have been created: look for it by its name");
    }
    return token;
  }

  /** {@code GET /api/admin/api-tokens/{tokenName}}: the tokens of that name (names are not unique at Unleash). */
  public List<UnleashToken> listByName(String tokenName) {
    Objects.requireNonNull(tokenName, "tokenName");
    return tokens(OP_LIST, tokensUrl().addPathSegment(tokenName).build());
  }

  /** {@code GET /api/admin/api-tokens}: every token of the instance (with its secret, where the server shows it). */
  public List<UnleashToken> listAll() {
    return tokens(OP_LIST, tokensUrl().build());
  }

  /**
   * {@code PUT /api/admin/api-tokens/{secret}} with {@code expiresAt}: the token stops working then (Unleash caches
   * tokens, so up to about a minute later). Unleash answers 200 for a token that does not exist too.
   */
  public void expire(KeyValue secret, Instant at) {
    Objects.requireNonNull(secret, "secret");
    Objects.requireNonNull(at, "at");
    Exchange exchange = new Exchange(OP_EXPIRE, "PUT", tokenUrl(secret), expiryBody(at), false, List.of())
        .hiding(secret.reveal());
    succeeded(exchange, transport.send(exchange));
  }

  /** {@code DELETE /api/admin/api-tokens/{secret}}; a token already gone is done (Unleash answers 200 then). */
  public void delete(KeyValue secret) {
    Objects.requireNonNull(secret, "secret");
    Exchange exchange = Exchange.delete(OP_DELETE, tokenUrl(secret)).hiding(secret.reveal());
    Answer answer = transport.send(exchange);
    if (answer.status() != 404) {
      succeeded(exchange, answer);
    }
  }

  /** Lists the tokens of a name no one uses: throws unless the credential may read API tokens. */
  public void checkCredentials() {
    Exchange exchange = Exchange.get(OP_CHECK_CREDENTIALS, tokensUrl().addPathSegment(CREDENTIAL_CHECK_NAME).build());
    succeeded(exchange, transport.send(exchange));
  }

  // ---------------------------------------------------------------- request building

  HttpUrl.Builder tokensUrl() {
    return base.newBuilder().addPathSegments("api/admin/api-tokens");
  }

  HttpUrl tokenUrl(KeyValue secret) {
    return tokensUrl().addPathSegment(secret.reveal()).build();
  }

  static byte[] createBody(UnleashTokenRequest request) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("tokenName", request.tokenName());
    root.put("type", request.type());
    root.put("environment", request.environment());
    request.projects().forEach(root.putArray("projects")::add);
    if (request.expiresAt() != null) {
      root.put("expiresAt", millis(request.expiresAt()));
    }
    return bytes(root);
  }

  static byte[] expiryBody(Instant at) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("expiresAt", millis(at));
    return bytes(root);
  }

  /** Unleash keeps milliseconds (a JavaScript Date): what it is sent is what it lists. */
  private static String millis(Instant at) {
    return at.truncatedTo(ChronoUnit.MILLIS).toString();
  }

  private static byte[] bytes(ObjectNode root) {
    try {
      return MAPPER.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize a request body", e);
    }
  }

  // ---------------------------------------------------------------- answer parsing

  private List<UnleashToken> tokens(String operation, HttpUrl url) {
    Exchange exchange = Exchange.get(operation, url);
    JsonNode root = transport.json(exchange, succeeded(exchange, transport.send(exchange)));
    JsonNode tokens = root.get("tokens");
    if (tokens == null || !tokens.isArray()) {
      throw new VendorErrorException("Unleash " + operation + ": the answer has no \"tokens\" array", 200, false);
    }
    if (tokens.size() > MAX_TOKENS) {
      throw new VendorErrorException("Unleash " + operation + ": the answer lists " + tokens.size() + " tokens; the "
          + "operator reads at most " + MAX_TOKENS, 200, false);
    }
    List<UnleashToken> out = new ArrayList<>();
    for (JsonNode item : tokens) {
      UnleashToken token = toToken(item);
      if (token != null) {
        out.add(token);
      }
    }
    return out;
  }

  /** A token object, or null when it is not one (no name). Unknown fields are ignored. */
  static UnleashToken toToken(JsonNode node) {
    if (node == null || !node.isObject()) {
      return null;
    }
    String name = VendorTransport.text(node, "tokenName");
    if (name == null) {
      name = VendorTransport.text(node, "username"); // the name's field before Unleash 5
    }
    if (name == null) {
      return null;
    }
    String secret = VendorTransport.text(node, "secret");
    List<String> projects = new ArrayList<>();
    JsonNode list = node.get("projects");
    if (list != null && list.isArray()) {
      list.forEach(p -> {
        if (p.isTextual()) {
          projects.add(p.asText());
        }
      });
    } else if (VendorTransport.text(node, "project") != null) {
      projects.add(VendorTransport.text(node, "project"));
    }
    return new UnleashToken(name, secret == null || secret.isBlank() ? null : KeyValue.of(secret),
        normalType(VendorTransport.text(node, "type")), VendorTransport.text(node, "environment"), projects,
        instant(VendorTransport.text(node, "expiresAt")));
  }

  /** Unleash stores a backend token as {@code client} (its older name), and may answer in upper case. */
  static String normalType(String type) {
    if (type == null) {
      return null;
    }
    String t = type.toLowerCase(Locale.ROOT);
    return t.equals("client") ? "backend" : t;
  }

  private static Instant instant(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** The answer when it is a success, else its failure thrown; a 404 points at the base URL. */
  private Answer succeeded(Exchange exchange, Answer answer) {
    if (answer.isSuccess()) {
      return answer;
    }
    if (answer.status() == 404) {
      throw new VendorErrorException(transport.prefix(exchange) + " failed with HTTP 404: check the provider's "
          + "baseUrl (the Unleash server's root, e.g. https://unleash.example.com, without /api)."
          + transport.vendorSaid(exchange, answer), 404, true);
    }
    throw transport.failure(exchange, answer);
  }
}
