package dev.apikeyoperator.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import org.slf4j.LoggerFactory;

/**
 * How the operator writes its logs. Both formats carry the ApiKey's namespace and name (MDC) on every line.
 *
 * <p>Configured in code rather than from a logback.xml: parsing XML configuration (Joran, SAX) loaded some
 * hundreds of classes on every start, before the operator did anything (BENCHMARKS.md, "Start-up").
 */
public enum LogFormat {
  /** Human-readable lines. */
  text {
    @Override
    Encoder<ILoggingEvent> encoder(LoggerContext context) {
      PatternLayoutEncoder encoder = new PatternLayoutEncoder();
      encoder.setContext(context);
      encoder.setPattern(TEXT_PATTERN);
      return encoder;
    }
  },
  /** One JSON object per line, for log pipelines: level, logger, thread, MDC, formattedMessage, throwable. */
  json {
    @Override
    Encoder<ILoggingEvent> encoder(LoggerContext context) {
      JsonEncoder encoder = new JsonEncoder();
      encoder.setContext(context);
      encoder.setWithSequenceNumber(false);
      encoder.setWithNanoseconds(false);
      encoder.setWithContext(false);
      encoder.setWithArguments(false);
      encoder.setWithFormattedMessage(true);
      encoder.setWithMessage(false);
      return encoder;
    }
  };

  static final String TEXT_PATTERN =
      "%d{yyyy-MM-dd'T'HH:mm:ss.SSSX} %-5level %logger{0} %X{namespace:-}%replace(/%X{apikey:-}){'^/$',''} - %msg%n";

  abstract Encoder<ILoggingEvent> encoder(LoggerContext context);

  /** Reconfigures logback in this format. */
  public void apply() {
    apply((LoggerContext) LoggerFactory.getILoggerFactory());
  }

  /** Reconfigures {@code context}: INFO and up on the console in this format; the libraries' INFO chatter off. */
  public void apply(LoggerContext context) {
    context.reset();
    Encoder<ILoggingEvent> encoder = encoder(context);
    encoder.start();
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName(name().toUpperCase(java.util.Locale.ROOT));
    console.setEncoder(encoder);
    console.addFilter(new RetriedTransientFailures());
    console.start();
    context.getLogger("io.javaoperatorsdk").setLevel(Level.WARN);
    context.getLogger("io.fabric8").setLevel(Level.WARN);
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(console);
  }

  /**
   * Drops JOSDK's warning, with a stack trace, about a failure the reconcile handed to its retry on purpose (a vendor
   * 5xx, a 429): the reconcile has logged that one already, in one line with its reason. Anything else JOSDK warns
   * about (an unexpected error) stays.
   */
  static final class RetriedTransientFailures extends ch.qos.logback.core.filter.Filter<ILoggingEvent> {
    static final String TRANSIENT_FAILURE = "TransientFailure";

    @Override
    public ch.qos.logback.core.spi.FilterReply decide(ILoggingEvent event) {
      if (event.getLoggerName().startsWith("io.javaoperatorsdk")) {
        for (var t = event.getThrowableProxy(); t != null; t = t.getCause()) {
          if (t.getClassName().endsWith("$" + TRANSIENT_FAILURE)) {
            return ch.qos.logback.core.spi.FilterReply.DENY;
          }
        }
      }
      return ch.qos.logback.core.spi.FilterReply.NEUTRAL;
    }
  }
}
