package dev.apikeyoperator.issuer.launchdarkly;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apikeyoperator.api.v1alpha1.ApiKeySpec;
import dev.apikeyoperator.api.v1alpha1.LaunchDarklyKeySpec;
import dev.apikeyoperator.api.v1alpha1.LaunchDarklyKeyType;
import dev.apikeyoperator.api.v1alpha1.LaunchDarklyStatement;
import dev.apikeyoperator.issuer.Issuer;
import dev.apikeyoperator.issuer.KeyPlan;
import dev.apikeyoperator.issuer.MintedKey;
import dev.apikeyoperator.transport.VendorErrorException;
import dev.apikeyoperator.ledger.LedgerKey;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A LaunchDarkly account. SDK and mobile keys get an id the operator chooses from the key name, so a create whose
 * answer was lost is read back by that id; access tokens are shown once, so a lost one is found by name, revoked, and
 * minted again. The environment's shared keys are only read (and reset on an allowed rotation), never revoked.
 */
public final class LaunchDarklyIssuer implements Issuer<LaunchDarklyKeyRequest> {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final LaunchDarklyClient client;
  private final Clock clock;

  public LaunchDarklyIssuer(LaunchDarklyClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  /** Checks that the project and environment exist (their client-side id is part of the identity). */
  @Override
  public KeyPlan<LaunchDarklyKeyRequest> plan(ApiKeySpec spec) {
    LaunchDarklyKeySpec ld = spec.launchDarkly;
    String identity = LaunchDarklyVendor.INSTANCE.specIdentity(spec);
    if (!ld.type.inEnvironment()) {
      return new KeyPlan<>(identity, new LaunchDarklyKeyRequest(ld.type, null, null, null, ld.description,
          tokenBody(ld)));
    }
    LaunchDarklyClient.Environment env = client.environment(ld.project, ld.environment);
    return new KeyPlan<>(identity + ";clientSideId=" + env.clientSideId(), new LaunchDarklyKeyRequest(ld.type,
        ld.project, ld.environment, env.clientSideId(), ld.description, null));
  }

  /** The create body of an access token, without its name. */
  static ObjectNode tokenBody(LaunchDarklyKeySpec ld) {
    ObjectNode body = JSON.createObjectNode();
    if (ld.description != null && !ld.description.isBlank()) {
      body.put("description", ld.description);
    }
    if (ld.role != null) {
      body.put("role", ld.role.wire());
    }
    if (ld.customRoleIds != null && !ld.customRoleIds.isEmpty()) {
      ArrayNode roles = body.putArray("customRoleIds");
      ld.customRoleIds.forEach(roles::add);
    }
    if (ld.inlineRole != null && !ld.inlineRole.isEmpty()) {
      ArrayNode statements = body.putArray("inlineRole");
      for (LaunchDarklyStatement s : ld.inlineRole) {
        ObjectNode st = statements.addObject();
        st.put("effect", s.effect);
        array(st, "actions", s.actions);
        array(st, "resources", s.resources);
        array(st, "notActions", s.notActions);
        array(st, "notResources", s.notResources);
      }
    }
    body.put("serviceToken", ld.serviceTokenOrDefault());
    body.put("defaultApiVersion", ld.defaultApiVersion == null ? Integer.parseInt(LaunchDarklyClient.API_VERSION)
        : ld.defaultApiVersion);
    return body;
  }

  private static void array(ObjectNode node, String field, List<String> values) {
    if (values != null && !values.isEmpty()) {
      ArrayNode a = node.putArray(field);
      values.forEach(a::add);
    }
  }

  @Override
  public MintedKey create(KeyPlan<LaunchDarklyKeyRequest> plan, String keyName) {
    LaunchDarklyKeyRequest r = plan.request();
    switch (r.type()) {
      case SDK, MOBILE -> {
        String key = LaunchDarklyKeyId.sdkKeyKey(keyName);
        LaunchDarklyClient.SdkKey created = client.createSdkKey(r.project(), r.environment(), key, keyName,
            r.type() == LaunchDarklyKeyType.MOBILE ? "mobile" : "sdk", r.description());
        return minted(LaunchDarklyKeyId.recorded(LaunchDarklyKeyId.sdkKey(r.project(), r.environment(), key),
            r.clientSideId()), created);
      }
      case ACCESS_TOKEN -> {
        ObjectNode body = r.tokenBody().deepCopy();
        body.put("name", keyName);
        LaunchDarklyClient.Token token = client.createToken(body);
        return new MintedKey(LaunchDarklyKeyId.token(token.id()).toString(), token.secret(), Instant.now(clock));
      }
      default -> {
        return shared(r, client.environment(r.project(), r.environment()));
      }
    }
  }

  /** A shared key is reset (the SDK key with the vendor's overlap); any other key is created beside the old one. */
  @Override
  public MintedKey createReplacing(KeyPlan<LaunchDarklyKeyRequest> plan, String keyName, LedgerKey replaced,
      Instant replacedUntil) {
    LaunchDarklyKeyRequest r = plan.request();
    if (!r.type().shared()) {
      return create(plan, keyName);
    }
    boolean mobile = r.type() == LaunchDarklyKeyType.ENVIRONMENT_MOBILE_KEY;
    return shared(r, client.resetEnvironmentKey(r.project(), r.environment(), mobile, replacedUntil));
  }

  private MintedKey shared(LaunchDarklyKeyRequest r, LaunchDarklyClient.Environment env) {
    boolean mobile = r.type() == LaunchDarklyKeyType.ENVIRONMENT_MOBILE_KEY;
    return new MintedKey(LaunchDarklyKeyId.recorded(LaunchDarklyKeyId.shared(r.project(), r.environment(), mobile),
        env.clientSideId()), mobile ? env.mobileKey() : env.sdkKey(), Instant.now(clock));
  }

  private MintedKey minted(String recordedId, LaunchDarklyClient.SdkKey key) {
    return new MintedKey(recordedId, key.value(), Instant.now(clock));
  }

  /** Deletes an SDK key or token; a shared key is never revoked (it serves the whole environment). */
  @Override
  public void revoke(LedgerKey key) {
    LaunchDarklyKeyId id = idOf(key);
    switch (id.kind()) {
      case LaunchDarklyKeyId.SDK_KEY -> client.deleteSdkKey(id.project(), id.environment(), id.key());
      case LaunchDarklyKeyId.TOKEN -> client.deleteToken(id.key());
      default -> { } // shared: the environment's key stays
    }
  }

  /**
   * SDK keys: {@code PATCH expiry} (an expiry already set is left: LaunchDarkly cannot change it, and the key is
   * deleted at the end of its grace either way);
   * tokens: a reset with {@code expiry}, whose new secret is dropped; shared keys got theirs at the reset.
   */
  @Override
  public void expire(LedgerKey key, Instant at) {
    LaunchDarklyKeyId id = idOf(key);
    if (id.kind().equals(LaunchDarklyKeyId.SDK_KEY)) {
      Optional<LaunchDarklyClient.SdkKey> live = client.sdkKey(id.project(), id.environment(), id.key());
      if (live.isEmpty() || live.get().expiry() != null) {
        return;
      }
      client.updateSdkKey(id.project(), id.environment(), id.key(), at, null);
    } else if (id.kind().equals(LaunchDarklyKeyId.TOKEN)) {
      client.resetToken(id.key(), at);
    }
  }

  @Override
  public Optional<MintedKey> findLost(String keyName, LedgerKey rotatedFrom, ApiKeySpec spec) {
    LaunchDarklyKeySpec ld = spec.launchDarkly;
    if (ld == null) {
      return Optional.empty();
    }
    switch (ld.type) {
      case SDK, MOBILE -> {
        String key = LaunchDarklyKeyId.sdkKeyKey(keyName);
        Optional<LaunchDarklyClient.SdkKey> found = client.sdkKey(ld.project, ld.environment, key)
            .filter(k -> k.value() != null);
        if (found.isEmpty()) {
          return Optional.empty();
        }
        String clientSideId = client.environment(ld.project, ld.environment).clientSideId();
        return Optional.of(minted(LaunchDarklyKeyId.recorded(LaunchDarklyKeyId.sdkKey(ld.project, ld.environment,
            key), clientSideId), found.get()));
      }
      case ACCESS_TOKEN -> {
        // Its secret was shown once, in the lost answer: the token is revoked and a new one minted.
        for (LaunchDarklyClient.Token t : client.tokens()) {
          if (keyName.equals(t.name()) && t.id() != null) {
            client.deleteToken(t.id());
          }
        }
        return Optional.empty();
      }
      default -> {
        LaunchDarklyKeyRequest r = new LaunchDarklyKeyRequest(ld.type, ld.project, ld.environment, null, null, null);
        return Optional.of(shared(r, client.environment(ld.project, ld.environment)));
      }
    }
  }

  /** Whether the key is still there; a shared key, whether the environment still has this very value. */
  @Override
  public boolean isActive(LedgerKey key) {
    LaunchDarklyKeyId id = idOf(key);
    return switch (id.kind()) {
      case LaunchDarklyKeyId.SDK_KEY -> client.sdkKey(id.project(), id.environment(), id.key())
          .map(k -> k.expiry() == null || k.expiry() > Instant.now(clock).toEpochMilli()).orElse(false);
      case LaunchDarklyKeyId.TOKEN -> client.token(id.key()).isPresent();
      default -> {
        LaunchDarklyClient.Environment env = client.environment(id.project(), id.environment());
        yield (id.key().equals("mobile") ? env.mobileKey() : env.sdkKey()).equals(key.value());
      }
    };
  }

  /** The description, on SDK keys and tokens (a shared key's is the environment's, not ours). */
  @Override
  public void updateInPlace(LedgerKey key, ApiKeySpec spec) {
    LaunchDarklyKeyId id = idOf(key);
    String description = spec.launchDarkly.description == null ? "" : spec.launchDarkly.description;
    if (id.kind().equals(LaunchDarklyKeyId.SDK_KEY)) {
      client.updateSdkKey(id.project(), id.environment(), id.key(), null, description);
    } else if (id.kind().equals(LaunchDarklyKeyId.TOKEN)) {
      client.updateTokenDescription(id.key(), description);
    }
  }

  @Override
  public Optional<String> checkCredentials() {
    return client.checkCredentials();
  }

  private static LaunchDarklyKeyId idOf(LedgerKey key) {
    LaunchDarklyKeyId id = LaunchDarklyKeyId.parse(key.id());
    if (id == null) {
      throw new VendorErrorException("LaunchDarkly: key " + key.name() + " has no usable recorded id; it cannot be "
          + "reached at the vendor. Delete it in LaunchDarkly by hand if it still exists", 400, true);
    }
    return id;
  }
}
