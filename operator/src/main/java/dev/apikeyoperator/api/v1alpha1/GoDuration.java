package dev.apikeyoperator.api.v1alpha1;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Go-style durations as Kubernetes users write them: 90s, 10m, 1h30m, 720h, 250ms. */
public final class GoDuration {
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

  private GoDuration() {}

  public static Duration parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("empty duration: write it like 90s, 10m or 1h30m");
    }
    Matcher m = PART.matcher(text.trim());
    long millis = 0;
    int end = 0;
    while (m.find()) {
      if (m.start() != end) {
        break;
      }
      double n = Double.parseDouble(m.group(1));
      millis += (long) (n * switch (m.group(2)) {
        case "ms" -> 1L;
        case "s" -> 1_000L;
        case "m" -> 60_000L;
        default -> 3_600_000L;
      });
      end = m.end();
    }
    if (end != text.trim().length() || end == 0) {
      throw new IllegalArgumentException("'" + text + "' is not a duration: write it like 90s, 10m or 1h30m");
    }
    return Duration.ofMillis(millis);
  }
}
