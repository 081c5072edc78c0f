package dev.apikeyoperator.issuer;

import dev.apikeyoperator.transport.VendorException;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/** A project or environment named (or identified) in a spec does not exist at the vendor. */
public final class NameNotFoundException extends VendorException {

  /** How many known names a message lists at most. */
  public static final int MAX_LISTED = 10;

  private final String kind;
  private final String name;

  /** Builds the message: {@code <kind> "<name>" not found; known <kind>s: a, b, ... (and N more)}. */
  public NameNotFoundException(String kind, String name, Collection<String> knownNames) {
    this(kind, name, kind + " \"" + name + "\" not found; " + describeKnown(kind, knownNames));
  }

  public NameNotFoundException(String kind, String name, String message) {
    super(message);
    this.kind = kind;
    this.name = name;
  }

  /** {@code "project"} or {@code "environment"}. */
  public String kind() {
    return kind;
  }

  /** The name (or id) that was looked for. */
  public String name() {
    return name;
  }

  /** {@code "known <kind>s: a, b (and 3 more)"} or {@code "no <kind>s are visible"}; lists at most 10. */
  public static String describeKnown(String kind, Collection<String> knownNames) {
    List<String> known = knownNames == null ? List.of() : List.copyOf(knownNames);
    if (known.isEmpty()) {
      return "no " + kind + "s are visible to the provider's credential";
    }
    String listed = known.stream().limit(MAX_LISTED).map(n -> "\"" + n + "\"").collect(Collectors.joining(", "));
    int more = known.size() - Math.min(known.size(), MAX_LISTED);
    return "known " + kind + "s: " + listed + (more > 0 ? " (and " + more + " more)" : "");
  }
}
