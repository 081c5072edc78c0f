package dev.apikeyoperator.issuer.launchdarkly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apikeyoperator.secretvalue.KeyValue;
import dev.apikeyoperator.issuer.NameNotFoundException;
import dev.apikeyoperator.transport.VendorErrorException;
import dev.apikeyoperator.transport.VendorOutcomeUnknownException;
import dev.apikeyoperator.transport.Answer;
import dev.apikeyoperator.transport.Exchange;
import dev.apikeyoperator.transport.Redaction;
import dev.apikeyoperator.transport.TransportLimits;
import dev.apikeyoperator.transport.VendorProfile;
import dev.apikeyoperator.transport.VendorTransport;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.slf4j.LoggerFactory;

/**
 * Client of the LaunchDarkly REST API (v2) endpoints for SDK keys (beta), environments and access tokens. Endpoints,
 * request JSON and answer parsing only; the calls go through the {@link VendorTransport} (deadline, size cap,
 * redaction, error mapping, the rate-limit reset read from {@code X-Ratelimit-Reset} in epoch milliseconds). It
 * never sleeps or retries on its own.
 *
 * <p>Two transports share one HTTP client: the SDK Keys API wants {@code LD-API-Version: beta}, everything else the
 * pinned version, so that a change of LaunchDarkly's default version never changes an answer's shape.
 */
public final class LaunchDarklyClient {
  public static final String API_VERSION = "20240415";
  static final String BETA = "beta";
  static final String HEADER_VERSION = "LD-API-Version";
  static final int PAGE_SIZE = 100;

  static final String OP_READ_ENVIRONMENT = "read environment";
  static final String OP_RESET_ENVIRONMENT_KEY = "reset environment key";
  static final String OP_CREATE_SDK_KEY = "create SDK key";
  static final String OP_READ_SDK_KEY = "read SDK key";
  static final String OP_UPDATE_SDK_KEY = "update SDK key";
  static final String OP_DELETE_SDK_KEY = "delete SDK key";
  static final String OP_CREATE_TOKEN = "create access token";
  static final String OP_LIST_TOKENS = "list access tokens";
  static final String OP_READ_TOKEN = "read access token";
  static final String OP_UPDATE_TOKEN = "update access token";
  static final String OP_RESET_TOKEN = "reset access token";
  static final String OP_DELETE_TOKEN = "delete access token";
  static final String OP_CHECK_CREDENTIALS = "check credentials";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** An environment: its client-side id (public) and its two shared keys. */
  public record Environment(String clientSideId, KeyValue sdkKey, KeyValue mobileKey) {}

  /** An SDK or mobile key of the SDK Keys API. */
  public record SdkKey(String key, String kind, KeyValue value, Long expiry, String description) {}

  /** An access token; {@code secret} is whole only in the answers to create and reset. */
  public record Token(String id, String name, KeyValue secret) {}

  private final VendorTransport pinned;
  private final VendorTransport beta;
  private final HttpUrl base;

  public LaunchDarklyClient(OkHttpClient http, String baseUrl, KeyValue credential) {
    this(http, baseUrl, credential, TransportLimits.DEFAULT);
  }

  public LaunchDarklyClient(OkHttpClient http, String baseUrl, KeyValue credential, TransportLimits limits) {
    Objects.requireNonNull(http, "http");
    String token = VendorProfile.headerValue(credential, "the LaunchDarkly access token");
    this.base = VendorProfile.baseUrl("LaunchDarkly", baseUrl);
    this.pinned = transport(http, token, credential, API_VERSION, limits);
    this.beta = transport(http, token, credential, BETA, limits);
  }

  private VendorTransport transport(OkHttpClient http, String token, KeyValue credential, String version,
      TransportLimits limits) {
    // No scheme word: LaunchDarkly takes the token itself in Authorization.
    Headers headers = new Headers.Builder().add("Authorization", token).add(HEADER_VERSION, version).build();
    VendorProfile profile = new VendorProfile("LaunchDarkly", base, headers,
        new Redaction(credential.reveal(), token),
        "the access token is not valid. The provider's credentials Secret must hold a LaunchDarkly access token "
            + "(api-...).",
        "the access token's role does not allow this; give the provider a token whose role may manage SDK keys "
            + "(and access tokens, where accessToken ApiKeys are allowed).",
        "; LaunchDarkly paces by account and route",
        "a new key may exist at the vendor: it is looked up by its key or name");
    return new VendorTransport(http, profile, limits, LoggerFactory.getLogger(LaunchDarklyClient.class));
  }

  // ---------------------------------------------------------------- environments

  /** {@code GET /api/v2/projects/{p}/environments/{e}}; 404 is an unknown project or environment. */
  public Environment environment(String project, String environment) {
    Exchange exchange = Exchange.get(OP_READ_ENVIRONMENT, environmentUrl(project, environment).build());
    Answer answer = pinned.send(exchange);
    if (answer.status() == 404) {
      throw new NameNotFoundException("environment", environment, "LaunchDarkly has no environment '"
          + environment + "' in project '" + project + "' (or no project '" + project + "'): spec.launchDarkly.project "
          + "and environment are keys, not names; check them in LaunchDarkly's project settings");
    }
    return toEnvironment(pinned, exchange, succeeded(pinned, exchange, answer));
  }

  /**
   * Resets an environment's shared key: {@code POST .../apiKey?expiry=} (the old SDK key works until the expiry) or
   * {@code POST .../mobileKey} (the old mobile key dies at once). Returns the environment with the new key.
   */
  public Environment resetEnvironmentKey(String project, String environment, boolean mobile, Instant oldExpiry) {
    HttpUrl.Builder url = environmentUrl(project, environment).addPathSegment(mobile ? "mobileKey" : "apiKey");
    if (!mobile && oldExpiry != null) {
      url.addQueryParameter("expiry", Long.toString(oldExpiry.toEpochMilli()));
    }
    Exchange exchange = Exchange.post(OP_RESET_ENVIRONMENT_KEY, url.build(), new byte[0]).minting();
    return toEnvironment(pinned, exchange, succeeded(pinned, exchange, pinned.send(exchange)));
  }

  // ---------------------------------------------------------------- SDK keys (beta)

  /** {@code POST .../sdk-keys}: exactly one request; a lost answer is found again with {@link #sdkKey}. */
  public SdkKey createSdkKey(String project, String environment, String key, String name, String kind,
      String description) {
    ObjectNode body = JSON.createObjectNode().put("key", key).put("name", name).put("kind", kind);
    if (description != null && !description.isBlank()) {
      body.put("description", description);
    }
    Exchange exchange = Exchange.post(OP_CREATE_SDK_KEY, sdkKeysUrl(project, environment).build(), bytes(body))
        .minting();
    Answer answer = beta.send(exchange);
    if (!answer.isSuccess() && planRefusal(answer)) {
      throw new VendorErrorException("LaunchDarkly " + OP_CREATE_SDK_KEY + " was refused (HTTP " + answer.status()
          + "): the account's plan allows one " + kind + " key per environment (several need an Enterprise or "
          + "Guardian plan). Use type " + (kind.equals("mobile") ? "environmentMobileKey" : "environmentSdkKey")
          + " to hold the environment's own key instead." + beta.vendorSaid(exchange, answer), answer.status(), true);
    }
    if (answer.status() == 409) {
      throw new VendorErrorException("LaunchDarkly " + OP_CREATE_SDK_KEY + ": the key id " + key + " is taken (a "
          + "deleted key's id stays taken)." + beta.vendorSaid(exchange, answer), 409, true);
    }
    SdkKey created = toSdkKey(jsonOrNull(succeeded(beta, exchange, answer)));
    if (created == null || created.value() == null) {
      throw new VendorOutcomeUnknownException("LaunchDarkly " + OP_CREATE_SDK_KEY + ": the answer (HTTP "
          + answer.status() + ") carries no key value; the key is looked up by its id");
    }
    return created;
  }

  /** {@code GET .../sdk-keys/{key}}: the key with its value; empty when unknown or deleted (404). */
  public Optional<SdkKey> sdkKey(String project, String environment, String key) {
    Exchange exchange = Exchange.get(OP_READ_SDK_KEY, sdkKeysUrl(project, environment).addPathSegment(key).build());
    Answer answer = beta.send(exchange);
    if (answer.status() == 404) {
      return Optional.empty();
    }
    SdkKey read = toSdkKey(beta.json(exchange, succeeded(beta, exchange, answer)));
    if (read == null) {
      throw new VendorErrorException("LaunchDarkly " + OP_READ_SDK_KEY + ": the answer carries no key", 200, false);
    }
    return Optional.of(read);
  }

  /** {@code PATCH .../sdk-keys/{key}} with {@code expiry} (epoch ms) and/or {@code description}. */
  public void updateSdkKey(String project, String environment, String key, Instant expiry, String description) {
    ObjectNode body = JSON.createObjectNode();
    if (expiry != null) {
      body.put("expiry", expiry.toEpochMilli());
    }
    if (description != null) {
      body.put("description", description);
    }
    Exchange exchange = Exchange.patch(OP_UPDATE_SDK_KEY, sdkKeysUrl(project, environment).addPathSegment(key).build(),
        bytes(body));
    succeeded(beta, exchange, beta.send(exchange));
  }

  /** {@code DELETE .../sdk-keys/{key}}; 404 is already gone. */
  public void deleteSdkKey(String project, String environment, String key) {
    Exchange exchange = Exchange.delete(OP_DELETE_SDK_KEY, sdkKeysUrl(project, environment).addPathSegment(key)
        .build());
    Answer answer = beta.send(exchange);
    if (answer.status() != 404) {
      succeeded(beta, exchange, answer);
    }
  }

  // ---------------------------------------------------------------- access tokens

  /** {@code POST /api/v2/tokens}: exactly one request; the whole secret is in this answer only. */
  public Token createToken(ObjectNode body) {
    Exchange exchange = Exchange.post(OP_CREATE_TOKEN, tokensUrl().build(), bytes(body)).minting();
    Answer answer = pinned.send(exchange);
    Token token = toToken(jsonOrNull(succeeded(pinned, exchange, answer)));
    if (token == null || token.id() == null || token.secret() == null) {
      throw new VendorOutcomeUnknownException("LaunchDarkly " + OP_CREATE_TOKEN + ": the answer (HTTP "
          + answer.status() + ") carries no token; it is looked up by its name");
    }
    return token;
  }

  /** Every token, {@code GET /api/v2/tokens?showAll=true&limit=&offset=}, page by page (bounded). */
  public List<Token> tokens() {
    List<Token> all = new ArrayList<>();
    for (int page = 0; page < pinned.limits().maxPages(); page++) {
      HttpUrl url = tokensUrl().addQueryParameter("showAll", "true").addQueryParameter("limit",
          Integer.toString(PAGE_SIZE)).addQueryParameter("offset", Integer.toString(page * PAGE_SIZE)).build();
      Exchange exchange = Exchange.get(OP_LIST_TOKENS, url);
      JsonNode root = pinned.json(exchange, succeeded(pinned, exchange, pinned.send(exchange)));
      JsonNode items = root.get("items");
      if (items == null || !items.isArray()) {
        throw new VendorErrorException("LaunchDarkly " + OP_LIST_TOKENS + ": the answer has no \"items\" array", 200,
            false);
      }
      items.forEach(item -> Optional.ofNullable(toToken(item)).ifPresent(all::add));
      if (items.size() < PAGE_SIZE) {
        return all;
      }
    }
    throw pinned.tooManyPages(OP_LIST_TOKENS, PAGE_SIZE);
  }

  /** {@code GET /api/v2/tokens/{id}}; empty when deleted (404). */
  public Optional<Token> token(String id) {
    Exchange exchange = Exchange.get(OP_READ_TOKEN, tokensUrl().addPathSegment(id).build());
    Answer answer = pinned.send(exchange);
    if (answer.status() == 404) {
      return Optional.empty();
    }
    return Optional.ofNullable(toToken(pinned.json(exchange, succeeded(pinned, exchange, answer))));
  }

  /** {@code PATCH /api/v2/tokens/{id}}: a JSON Patch replacing the description. */
  public void updateTokenDescription(String id, String description) {
    ArrayNode patch = JSON.createArrayNode();
    patch.addObject().put("op", "replace").put("path", "/description").put("value",
        description == null ? "" : description);
    Exchange exchange = Exchange.patch(OP_UPDATE_TOKEN, tokensUrl().addPathSegment(id).build(), bytes(patch));
    succeeded(pinned, exchange, pinned.send(exchange));
  }

  /**
   * {@code POST /api/v2/tokens/{id}/reset?expiry=}: the token gets a new secret and its current one keeps working
   * until {@code expiry}. The new secret is dropped unread: only the expiry of the old one is wanted.
   */
  public void resetToken(String id, Instant expiry) {
    HttpUrl url = tokensUrl().addPathSegment(id).addPathSegment("reset")
        .addQueryParameter("expiry", Long.toString(expiry.toEpochMilli())).build();
    Exchange exchange = Exchange.post(OP_RESET_TOKEN, url, new byte[0]);
    Answer answer = pinned.send(exchange);
    if (answer.status() != 404) {
      succeeded(pinned, exchange, answer);
    }
  }

  /** {@code DELETE /api/v2/tokens/{id}}; 404 is already gone. */
  public void deleteToken(String id) {
    Exchange exchange = Exchange.delete(OP_DELETE_TOKEN, tokensUrl().addPathSegment(id).build());
    Answer answer = pinned.send(exchange);
    if (answer.status() != 404) {
      succeeded(pinned, exchange, answer);
    }
  }

  // ---------------------------------------------------------------- credentials

  /**
   * {@code GET /api/v2/projects?limit=1} proves the token works (401 throws); then {@code GET /api/v2/tokens?limit=1}
   * says whether it may manage access tokens.
   *
   * @return what the token cannot do, if anything
   */
  public Optional<String> checkCredentials() {
    Exchange exchange = Exchange.get(OP_CHECK_CREDENTIALS, base.newBuilder().addPathSegments("api/v2/projects")
        .addQueryParameter("limit", "1").build());
    succeeded(pinned, exchange, pinned.send(exchange));
    Exchange tokens = Exchange.get(OP_CHECK_CREDENTIALS, tokensUrl().addQueryParameter("limit", "1").build());
    Answer answer = pinned.send(tokens);
    if (answer.status() == 403) {
      return Optional.of("the access token may not read access tokens (HTTP 403): accessToken ApiKeys cannot be "
          + "served by this provider");
    }
    succeeded(pinned, tokens, answer);
    return Optional.empty();
  }

  // ---------------------------------------------------------------- building and parsing

  private HttpUrl.Builder environmentUrl(String project, String environment) {
    return base.newBuilder().addPathSegments("api/v2/projects").addPathSegment(project)
        .addPathSegment("environments").addPathSegment(environment);
  }

  private HttpUrl.Builder sdkKeysUrl(String project, String environment) {
    return environmentUrl(project, environment).addPathSegment("sdk-keys");
  }

  private HttpUrl.Builder tokensUrl() {
    return base.newBuilder().addPathSegments("api/v2/tokens");
  }

  /**
   * A create refused for the plan. The vendor documents only "an error" (docs/integrations/vendor-apis.md): any 400, 402, 403 or
   * 422 whose code or message speaks of the plan, a limit or an upgrade.
   */
  static boolean planRefusal(Answer answer) {
    int s = answer.status();
    if (s != 400 && s != 402 && s != 403 && s != 422) {
      return false;
    }
    String body = answer.body() == null ? "" : answer.body().toLowerCase(Locale.ROOT);
    return body.contains("plan") || body.contains("limit") || body.contains("upgrade")
        || body.contains("enterprise");
  }

  private static Answer succeeded(VendorTransport transport, Exchange exchange, Answer answer) {
    if (answer.isSuccess()) {
      return answer;
    }
    if (answer.status() == 404) {
      throw new VendorErrorException(transport.prefix(exchange) + " failed with HTTP 404: it does not exist at the "
          + "vendor (deleted, or a wrong project or environment key)." + transport.vendorSaid(exchange, answer), 404,
          true);
    }
    throw transport.failure(exchange, answer);
  }

  private static JsonNode jsonOrNull(Answer answer) {
    return VendorTransport.readTreeOrNull(answer.body());
  }

  private static Environment toEnvironment(VendorTransport transport, Exchange exchange, Answer answer) {
    JsonNode root = jsonOrNull(answer);
    String sdk = root == null ? null : VendorTransport.text(root, "apiKey");
    String mobile = root == null ? null : VendorTransport.text(root, "mobileKey");
    if (sdk == null || mobile == null) {
      throw new VendorErrorException(transport.prefix(exchange) + ": the answer (HTTP " + answer.status()
          + ") carries no apiKey and mobileKey", answer.status(), false);
    }
    return new Environment(VendorTransport.text(root, "_id"), KeyValue.of(sdk), KeyValue.of(mobile));
  }

  private static SdkKey toSdkKey(JsonNode node) {
    if (node == null || !node.isObject() || VendorTransport.text(node, "key") == null) {
      return null;
    }
    String value = VendorTransport.text(node, "value");
    JsonNode expiry = node.get("expiry");
    return new SdkKey(VendorTransport.text(node, "key"), VendorTransport.text(node, "kind"),
        value == null || value.isBlank() ? null : KeyValue.of(value),
        expiry != null && expiry.isIntegralNumber() ? expiry.asLong() : null,
        VendorTransport.text(node, "description"));
  }

  private static Token toToken(JsonNode node) {
    if (node == null || !node.isObject()) {
      return null;
    }
    String secret = VendorTransport.text(node, "token");
    return new Token(VendorTransport.text(node, "_id"), VendorTransport.text(node, "name"),
        secret == null || secret.isBlank() ? null : KeyValue.of(secret));
  }

  private static byte[] bytes(JsonNode node) {
    return node.toString().getBytes(StandardCharsets.UTF_8);
  }
}
