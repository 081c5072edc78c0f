package dev.apikeyoperator.ops;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.net.URL;
import org.slf4j.LoggerFactory;

/** How the operator writes its logs. Both formats carry the ApiKey's namespace and name (MDC) on every line. */
public enum LogFormat {
  /** Human-readable lines (logback.xml). */
  text("logback.xml"),
  /** One JSON object per line (logback-json.xml), for log pipelines. */
  json("logback-json.xml");

  private final String resource;

  LogFormat(String resource) {
    this.resource = resource;
  }

  /** Reconfigures logback from this format's configuration on the classpath. */
  public void apply() {
    apply((LoggerContext) LoggerFactory.getILoggerFactory());
  }

  /** Reconfigures {@code context} from this format's configuration. */
  public void apply(LoggerContext context) {
    URL config = LogFormat.class.getClassLoader().getResource(resource);
    if (config == null) {
      throw new IllegalStateException("logging configuration " + resource + " is missing from the classpath");
    }
    context.reset();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    try {
      configurator.doConfigure(config);
    } catch (JoranException e) {
      throw new IllegalStateException("could not configure logging from " + resource, e);
    }
  }
}
