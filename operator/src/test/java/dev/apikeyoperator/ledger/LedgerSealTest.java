package dev.apikeyoperator.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LedgerSealTest {
  private static final byte[] KEY = new byte[32];
  private static final LedgerSeal SEAL = LedgerSeal.withKey(KEY);
  private static final String DOC = "{\"version\":1,\"current\":{\"id\":\"k-1\"}}";

  @Test
  void aSealVerifiesOnlyTheDocumentAndApiKeyItWasMadeFor() {
    String seal = SEAL.seal("shop", "api", "uid-1", DOC);
    assertThat(SEAL.verifies("shop", "api", "uid-1", DOC, seal)).isTrue();
    assertThat(SEAL.verifies("shop", "api", "uid-1", DOC.replace("k-1", "k-2"), seal)).as("edited").isFalse();
    assertThat(SEAL.verifies("shop", "api", "uid-2", DOC, seal)).as("a recreated ApiKey").isFalse();
    assertThat(SEAL.verifies("shop", "other", "uid-1", DOC, seal)).as("another ApiKey").isFalse();
    assertThat(SEAL.verifies("pay", "api", "uid-1", DOC, seal)).as("another namespace").isFalse();
    assertThat(SEAL.verifies("shop", "api", "uid-1", DOC, null)).as("no seal").isFalse();
    // The separators bind each part: moving a character between namespace and name is another ApiKey.
    assertThat(SEAL.verifies("sho", "papi", "uid-1", DOC, seal)).isFalse();
  }

  @Test
  void onlyTheOperatorsKeyMakesASealThatVerifies() {
    byte[] other = Arrays.copyOf(KEY, 32);
    other[0] = 1;
    String forged = LedgerSeal.withKey(other).seal("shop", "api", "uid-1", DOC);
    assertThat(SEAL.verifies("shop", "api", "uid-1", DOC, forged)).isFalse();
    assertThatThrownBy(() -> LedgerSeal.withKey(new byte[16])).isInstanceOf(IllegalArgumentException.class);
  }
}
