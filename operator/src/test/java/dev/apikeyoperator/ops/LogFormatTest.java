package dev.apikeyoperator.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import dev.apikeyoperator.reconciler.ApiKeyReconciler;
import dev.apikeyoperator.status.KeyOutcome;
import dev.apikeyoperator.status.Reason;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class LogFormatTest {
  @Test
  void jsonLinesCarryTheApiKeyNamespaceAndName() throws Exception {
    String out = logOneLine(LogFormat.json);
    JsonNode line = new ObjectMapper().readTree(out.lines().filter(l -> l.contains("Created key")).findFirst()
        .orElseThrow());
    assertThat(line.get("level").asText()).isEqualTo("INFO");
    assertThat(line.get("formattedMessage").asText()).isEqualTo("Created key shop-checkout-abc123");
    assertThat(line.get("mdc").get("namespace").asText()).isEqualTo("shop");
    assertThat(line.get("mdc").get("apikey").asText()).isEqualTo("checkout");
  }

  @Test
  void textLinesCarryTheApiKeyNamespaceAndName() throws Exception {
    String out = logOneLine(LogFormat.text);
    assertThat(out).contains("shop/checkout - Created key shop-checkout-abc123");
  }

  @Test
  void theLibrariesInfoLinesAreLeftOutTheirWarningsKept() {
    for (LogFormat format : LogFormat.values()) {
      String out = logged(format, context -> {
        context.getLogger("io.fabric8.kubernetes.client.informers").info("informer chatter");
        context.getLogger("io.javaoperatorsdk.operator.Operator").info("sdk chatter");
        context.getLogger("io.fabric8.kubernetes.client.dsl").warn("watch closed");
      });
      assertThat(out).doesNotContain("chatter").contains("watch closed");
    }
  }

  @Test
  void aFailureHandedToTheRetryIsLoggedOnceByTheReconcileNotAgainWithJosdksStackTrace() {
    var handedToRetry = new io.javaoperatorsdk.operator.OperatorException(new ApiKeyReconciler.TransientFailure(
        new KeyOutcome.NotApplied(Reason.VendorError, "FME create key failed with HTTP 503", null, null, null, true)));
    for (LogFormat format : LogFormat.values()) {
      String out = logged(format, context -> {
        var josdk = context.getLogger("io.javaoperatorsdk.operator.processing.event.EventProcessor");
        josdk.warn("Uncaught error during event processing (retried)", handedToRetry);
        josdk.warn("Uncaught error during event processing (a bug)", new IllegalStateException("unexpected"));
      });
      assertThat(out).doesNotContain("(retried)").contains("(a bug)").contains("unexpected");
    }
  }

  private static String logOneLine(LogFormat format) {
    return logged(format, context -> context.getLogger("dev.apikeyoperator.reconciler.ApiKeyReconciler")
        .info("Created key {}", "shop-checkout-abc123"));
  }

  private static String logged(LogFormat format, java.util.function.Consumer<LoggerContext> logging) {
    PrintStream original = System.out;
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    LoggerContext context = new LoggerContext(); // not the global one, which the other tests capture
    context.setMDCAdapter(MDC.getMDCAdapter());
    try {
      System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
      format.apply(context);
      MDC.put("namespace", "shop");
      MDC.put("apikey", "checkout");
      logging.accept(context);
    } finally {
      MDC.clear();
      context.stop();
      System.setOut(original);
    }
    return buffer.toString(StandardCharsets.UTF_8);
  }
}
