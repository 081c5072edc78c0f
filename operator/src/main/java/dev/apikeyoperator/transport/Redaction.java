package dev.apikeyoperator.transport;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Removes secrets from any text that may reach an exception message, a status, an event or a log line: the
 * provider's credential, the secrets of the call at hand (a key value in a path), and anything shaped like a key
 * of either vendor. Vendor-blind: the shapes of both vendors are always removed.
 */
public final class Redaction {

  public static final String REDACTED = "<redacted>";
  /** The most characters of a vendor's own words that an exception message may quote. */
  public static final int MAX_EXCERPT_CHARS = 120;

  /**
   * Statsig keys ({@code secret-}, {@code client-}, {@code console-} and a token), Harness tokens ({@code pat.} or
   * {@code sat.} and three dot-separated parts), and any run of 32 or more letters and digits (FME keys are 36).
   */
  private static final Pattern KEY_SHAPED = Pattern.compile(
      "(?i)\\b(?:secret|client|console)-[A-Za-z0-9]{10,}"
          + "|\\b(?:pat|sat)\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+"
          + "|\\b[A-Za-z0-9]{32,}\\b");
  /** Control, format and unassigned characters, and whitespace runs: an excerpt is one plain line. */
  private static final Pattern NOT_PLAIN = Pattern.compile("[\\p{C}\\s]+");
  /** An HTML tag, but not the redaction mark itself. */
  private static final Pattern TAG = Pattern.compile("<(?!redacted>)[^<>]{0,2000}>");

  private final List<String> secrets;

  /** @param secrets always removed (the credential); null and empty ones are ignored */
  public Redaction(String... secrets) {
    this.secrets = nonEmpty(Arrays.asList(secrets));
  }

  /** The text with every secret (these, and {@code more}) and every key-shaped token replaced. */
  public String redact(String text, Collection<String> more) {
    if (text == null) {
      return null;
    }
    String result = text;
    for (String secret : all(more)) {
      result = result.replace(secret, REDACTED);
    }
    return KEY_SHAPED.matcher(result).replaceAll(REDACTED);
  }

  /**
   * A short plain excerpt of a vendor's words: redacted, HTML tags dropped, control characters and newlines turned
   * into spaces, at most {@link #MAX_EXCERPT_CHARS} characters. Empty when there is nothing to say.
   */
  public String excerpt(String text, Collection<String> more) {
    if (text == null) {
      return "";
    }
    String result = redact(text, more);
    if (result.stripLeading().startsWith("<")) {
      result = TAG.matcher(result).replaceAll(" ");
    }
    result = NOT_PLAIN.matcher(result).replaceAll(" ").strip();
    if (result.length() > MAX_EXCERPT_CHARS) {
      result = result.substring(0, MAX_EXCERPT_CHARS) + "...";
    }
    return result;
  }

  /** True when a message anywhere in the chain of {@code e} (causes and suppressed) holds a secret. */
  public boolean reveals(Throwable e, Collection<String> more) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (changes(t.getMessage(), more)) {
        return true;
      }
      for (Throwable s : t.getSuppressed()) {
        if (reveals(s, more)) {
          return true;
        }
      }
    }
    return false;
  }

  private boolean changes(String message, Collection<String> more) {
    return message != null && !message.equals(redact(message, more));
  }

  private List<String> all(Collection<String> more) {
    if (more == null || more.isEmpty()) {
      return secrets;
    }
    List<String> all = new ArrayList<>(secrets);
    all.addAll(nonEmpty(more));
    return all;
  }

  private static List<String> nonEmpty(Collection<String> values) {
    return values.stream().filter(s -> s != null && !s.isEmpty()).toList();
  }
}
