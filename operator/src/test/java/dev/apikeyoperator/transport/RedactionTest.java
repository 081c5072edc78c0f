package dev.apikeyoperator.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikeyoperator.secretvalue.KeyValue;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedactionTest {

  private final Redaction redaction = new Redaction("my-credential-1");

  @Test
  void keysOfBothVendorsAreRedactedWhoeverCalls() {
    String text = "statsig secret-AbCdEfGhIjKl0123 client-ABCDEFGHIJ99 console-zzzzzzzzzzzz, "
        + "fme 7j2kq9x0m3n8b1v5c6z4l0p9o8i7u6y5t4r3, harness pat.acct123.tok456.s3cr3tPart and my-credential-1";

    String redacted = redaction.redact(text, List.of());

    assertThat(redacted).isEqualTo("statsig <redacted> <redacted> <redacted>, fme <redacted>, harness <redacted> and "
        + "<redacted>");
  }

  @Test
  void shortIdsAndWordsAreKept() {
    assertThat(redaction.redact("environment env-1 of workspace ws-42 (id 8f14e45f)", List.of()))
        .isEqualTo("environment env-1 of workspace ws-42 (id 8f14e45f)");
  }

  @Test
  void anExcerptIsOnePlainShortLine() {
    String excerpt = redaction.excerpt("line one\r\n\tline\u0000two\u202e " + "word ".repeat(100), List.of("line"));

    assertThat(excerpt).startsWith("<redacted> one <redacted> two ").hasSize(Redaction.MAX_EXCERPT_CHARS + 3)
        .endsWith("...").doesNotContainPattern("[\\p{Cntrl}\\u202e]");
  }

  @Test
  void aSecretInASuppressedOrCausedMessageIsSeen() {
    IOException suppressed = new IOException("top");
    suppressed.addSuppressed(new IOException("header value my-credential-1"));
    IOException caused = new IOException("top", new IllegalStateException("x my-credential-1"));

    assertThat(redaction.reveals(suppressed, List.of())).isTrue();
    assertThat(redaction.reveals(caused, List.of())).isTrue();
    assertThat(redaction.reveals(new IOException("timeout"), List.of())).isFalse();
    assertThat(redaction.reveals(new IOException("key k-1"), List.of("k-1"))).isTrue();
  }

  @Test
  void aCredentialThatCannotBeAHeaderIsRefusedWithoutQuotingIt() {
    for (String bad : List.of("cred\u0007-abcdef", "créd-abcdef", "cred abc def", "cred\nsecond-line", "cred\u0000x")) {
      KeyValue credential = KeyValue.of(bad);

      Throwable t = org.assertj.core.api.Assertions.catchThrowable(
          () -> VendorProfile.headerValue(credential, "the Acme credential"));

      assertThat(t).as(bad).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("the Acme credential (" + credential.fingerprint() + ")")
          .hasMessageContaining("cannot be sent in an HTTP header");
      assertThat(t.getMessage()).doesNotContain(bad);
    }
    assertThat(VendorProfile.headerValue(KeyValue.of("  cred-abcdef\n"), "x")).isEqualTo("cred-abcdef");
  }
}
