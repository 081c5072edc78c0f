package dev.apikeyoperator.issuer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.apikeyoperator.secretvalue.KeyValue;
import dev.apikeyoperator.transport.VendorErrorException;
import org.junit.jupiter.api.Test;

class KeyValueTest {

  @Test
  void fingerprintIsSha256PrefixOfUtf8Value() {
    // sha256("abc") = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
    assertThat(KeyValue.of("abc").fingerprint()).isEqualTo("sha256:ba7816bf8f01cfea");
    assertThat(KeyValue.fingerprintOf("abc")).isEqualTo("sha256:ba7816bf8f01cfea");
    assertThat(KeyValue.of("abc").fingerprint()).matches("sha256:[0-9a-f]{16}");
  }

  @Test
  void toStringShowsOnlyTheFingerprint() {
    KeyValue key = KeyValue.of("sdk-super-secret-value");
    assertThat(key.toString())
        .isEqualTo("KeyValue[" + key.fingerprint() + "]")
        .doesNotContain("sdk-super-secret-value")
        .doesNotContain("super");
    assertThat(key.reveal()).isEqualTo("sdk-super-secret-value");
  }

  @Test
  void rejectsNullAndBlank() {
    assertThatThrownBy(() -> KeyValue.of(null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KeyValue.of("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KeyValue.of("  \t")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void equalityIsOnTheValue() {
    assertThat(KeyValue.of("a1")).isEqualTo(KeyValue.of("a1")).hasSameHashCodeAs(KeyValue.of("a1"));
    assertThat(KeyValue.of("a1")).isNotEqualTo(KeyValue.of("a2")).isNotEqualTo("a1");
  }

  @Test
  void permanentStatusRule() {
    assertThat(VendorErrorException.isPermanentStatus(400)).isTrue();
    assertThat(VendorErrorException.isPermanentStatus(404)).isTrue();
    assertThat(VendorErrorException.isPermanentStatus(422)).isTrue();
    assertThat(VendorErrorException.isPermanentStatus(408)).isFalse();
    assertThat(VendorErrorException.isPermanentStatus(429)).isFalse();
    assertThat(VendorErrorException.isPermanentStatus(500)).isFalse();
    assertThat(VendorErrorException.isPermanentStatus(503)).isFalse();
    assertThat(new VendorErrorException("x", 409).permanent()).isTrue();
    assertThat(new VendorErrorException("x", 502).permanent()).isFalse();
  }

  @Test
  void nameNotFoundListsAtMostTenNames() {
    var names = java.util.stream.IntStream.rangeClosed(1, 13).mapToObj(i -> "p" + i).toList();
    NameNotFoundException e = new NameNotFoundException("project", "Shop", names);
    assertThat(e.kind()).isEqualTo("project");
    assertThat(e.name()).isEqualTo("Shop");
    assertThat(e.getMessage()).contains("\"Shop\"", "\"p1\"", "\"p10\"", "and 3 more").doesNotContain("\"p11\"");
  }
}
