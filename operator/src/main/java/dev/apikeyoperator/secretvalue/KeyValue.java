package dev.apikeyoperator.secretvalue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Holds a secret (an API key value or an admin credential). {@link #toString()} never reveals it:
 * it shows only the {@link #fingerprint()}.
 */
public final class KeyValue {

  private final String value;

  private KeyValue(String value) {
    this.value = value;
  }

  /** Wraps a secret; rejects {@code null} and blank values. */
  public static KeyValue of(String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("a key value must not be null or blank");
    }
    return new KeyValue(value);
  }

  /** The secret itself. Call only where the value must leave the process (HTTP header, Secret data). */
  public String reveal() {
    return value;
  }

  /** {@code "sha256:"} followed by the first 16 lowercase hex digits of sha256(UTF-8 value). */
  public String fingerprint() {
    return fingerprintOf(value);
  }

  /** The fingerprint of any string, in the same format as {@link #fingerprint()}. */
  public static String fingerprintOf(String value) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  @Override
  public String toString() {
    return "KeyValue[" + fingerprint() + "]";
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof KeyValue other)) {
      return false;
    }
    // constant-time comparison: no timing side channel on secrets
    return MessageDigest.isEqual(
        value.getBytes(StandardCharsets.UTF_8), other.value.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }
}
