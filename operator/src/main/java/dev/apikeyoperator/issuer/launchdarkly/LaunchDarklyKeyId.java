package dev.apikeyoperator.issuer.launchdarkly;

import java.util.Locale;

/**
 * The id the operator records for a LaunchDarkly credential, which says how to reach it again with no spec at hand:
 * {@code sdkKey:<project>/<environment>/<key>}, {@code token:<id>} or {@code shared:<project>/<environment>/<sdk|mobile>}
 * (LaunchDarkly keys hold no '/'). A shared key is never revoked, so its id only says where it lives. Keys in an
 * environment carry its client-side id (public) after an '@', so that templates have it whatever path recorded the key.
 */
record LaunchDarklyKeyId(String kind, String project, String environment, String key) {
  static final String SDK_KEY = "sdkKey";
  static final String TOKEN = "token";
  static final String SHARED = "shared";

  static LaunchDarklyKeyId sdkKey(String project, String environment, String key) {
    return new LaunchDarklyKeyId(SDK_KEY, project, environment, key);
  }

  static LaunchDarklyKeyId token(String id) {
    return new LaunchDarklyKeyId(TOKEN, null, null, id);
  }

  static LaunchDarklyKeyId shared(String project, String environment, boolean mobile) {
    return new LaunchDarklyKeyId(SHARED, project, environment, mobile ? "mobile" : "sdk");
  }

  /** The id as recorded, with the environment's client-side id when known. */
  static String recorded(LaunchDarklyKeyId id, String clientSideId) {
    return clientSideId == null || !clientSideId.matches("[A-Za-z0-9]{1,64}") ? id.toString()
        : id + "@" + clientSideId;
  }

  /** The client-side id a recorded id carries; null when none. */
  static String clientSideIdOf(String recorded) {
    int at = recorded == null ? -1 : recorded.lastIndexOf('@');
    String id = at < 0 ? null : recorded.substring(at + 1);
    return id != null && id.matches("[A-Za-z0-9]{1,64}") ? id : null;
  }

  /** The recorded id read back; null when it is none of the three shapes. */
  static LaunchDarklyKeyId parse(String recorded) {
    if (recorded == null) {
      return null;
    }
    int at = recorded.lastIndexOf('@');
    String id = at < 0 ? recorded : recorded.substring(0, at);
    int colon = id.indexOf(':');
    if (colon < 0) {
      return null;
    }
    String kind = id.substring(0, colon);
    String rest = id.substring(colon + 1);
    if (kind.equals(TOKEN)) {
      return rest.isEmpty() || rest.contains("/") ? null : token(rest);
    }
    String[] parts = rest.split("/", -1);
    if ((!kind.equals(SDK_KEY) && !kind.equals(SHARED)) || parts.length != 3 || parts[0].isEmpty()
        || parts[1].isEmpty() || parts[2].isEmpty()) {
      return null;
    }
    return new LaunchDarklyKeyId(kind, parts[0], parts[1], parts[2]);
  }

  @Override
  public String toString() {
    return kind.equals(TOKEN) ? TOKEN + ":" + key : kind + ":" + project + "/" + environment + "/" + key;
  }

  /**
   * The SDK key id the operator chooses for a key name: lower case letters, digits, '.', '_' and '-'. The key name
   * carries a suffix unique per attempt, so the id is fresh per minted credential (a deleted id stays taken).
   */
  static String sdkKeyKey(String keyName) {
    String lower = keyName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-");
    return lower.length() > 100 ? lower.substring(lower.length() - 100) : lower;
  }
}
