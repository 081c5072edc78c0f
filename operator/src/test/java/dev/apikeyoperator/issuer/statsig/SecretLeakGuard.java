package dev.apikeyoperator.issuer.statsig;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.slf4j.LoggerFactory;

/**
 * Collects every exception a test class saw from the client, every secret (key values, console keys) it handled,
 * and every log line of the client, so that the class can assert at the end that no secret leaked into any of them.
 */
final class SecretLeakGuard {

  private final List<Throwable> thrown = new ArrayList<>();
  private final Set<String> secrets = new LinkedHashSet<>();
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger clientLogger = (Logger) LoggerFactory.getLogger(StatsigClient.class);
  private Level previousLevel;

  void attachLogs() {
    previousLevel = clientLogger.getLevel();
    clientLogger.setLevel(Level.DEBUG);
    logs.start();
    clientLogger.addAppender(logs);
  }

  void detachLogs() {
    clientLogger.detachAppender(logs);
    clientLogger.setLevel(previousLevel);
  }

  /** Runs the call, records and returns what it threw (null when nothing). */
  synchronized Throwable capture(ThrowingCallable call) {
    try {
      call.call();
      return null;
    } catch (Throwable t) {
      thrown.add(t);
      return t;
    }
  }

  synchronized void secret(String value) {
    if (value != null && !value.isBlank()) {
      secrets.add(value);
    }
  }

  synchronized void secrets(Collection<String> values) {
    values.forEach(this::secret);
  }

  synchronized int thrownCount() {
    return thrown.size();
  }

  /** Asserts no secret appears in any exception message, cause message, toString or log line seen so far. */
  synchronized void assertNoLeaks() {
    List<String> texts = new ArrayList<>();
    for (Throwable t : thrown) {
      for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
        texts.add(String.valueOf(c.getMessage()));
        texts.add(c.toString());
        for (Throwable s : c.getSuppressed()) {
          texts.add(String.valueOf(s.getMessage()));
        }
      }
    }
    for (ILoggingEvent e : List.copyOf(logs.list)) {
      texts.add(e.getFormattedMessage());
    }
    for (String secret : secrets) {
      for (String text : texts) {
        assertThat(text).as("a key value or console key leaked").doesNotContain(secret);
      }
    }
  }
}
