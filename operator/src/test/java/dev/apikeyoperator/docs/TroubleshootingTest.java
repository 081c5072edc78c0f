package dev.apikeyoperator.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikeyoperator.status.ProviderReason;
import dev.apikeyoperator.status.Reason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/troubleshooting.md has an entry for every condition reason the code defines (the enums themselves) and for
 * every Warning event the code can write (found in the operator's sources), and docs/reference/events.md lists every
 * event, Normal and Warning.
 */
class TroubleshootingTest {
  private static final Path ROOT = ReferenceDocs.repoRoot();
  private static final Path SOURCES = ROOT.resolve("operator/src/main/java");
  private static final Pattern EVENT_CALL =
      Pattern.compile("events\\.(normal|warning|tryWarning)\\(\\s*\\w+\\s*,\\s*([^,]+?)\\s*,", Pattern.DOTALL);
  private static final List<String> PARTS = List.of("**What it means**", "**What the operator does**", "**What to do**");

  @Test
  void everyApiKeyReasonHasAnEntry() {
    Map<String, String> entries = entries("ApiKey conditions");
    for (Reason r : Reason.values()) {
      assertEntry(entries, r.name(), "ApiKey conditions");
    }
  }

  @Test
  void everyProviderReasonHasAnEntry() {
    Map<String, String> entries = entries("Provider conditions");
    for (ProviderReason r : ProviderReason.values()) {
      assertEntry(entries, r.name(), "Provider conditions");
    }
  }

  @Test
  void everyWarningEventHasAnEntry() {
    Map<String, String> entries = entries("Warning events");
    TreeSet<String> warnings = events("warning");
    assertThat(warnings).as("Warning event reasons found in the sources")
        .contains("RevokedWhileInUse", "CreationIndeterminate", "RevocationFailed", "UnknownFields");
    for (String w : warnings) {
      assertEntry(entries, w, "Warning events");
    }
  }

  @Test
  void eventsReferenceListsEveryEvent() throws IOException {
    String page = Files.readString(ROOT.resolve("docs/reference/events.md"));
    for (String type : List.of("normal", "warning")) {
      for (String reason : events(type)) {
        assertThat(page).as("docs/reference/events.md lists the %s event %s as a table row", type, reason)
            .containsPattern("(?m)^\\| `" + reason + "` \\| " + (type.equals("normal") ? "Normal" : "Warning") + " \\|");
      }
    }
  }

  private static void assertEntry(Map<String, String> entries, String name, String section) {
    assertThat(entries).as("docs/troubleshooting.md, section \"%s\": an entry \"### %s\"", section, name)
        .containsKey(name);
    for (String part : PARTS) {
      assertThat(entries.get(name)).as("docs/troubleshooting.md, %s %s: says %s", section, name, part).contains(part);
    }
  }

  /** The entries (### headings, keyed by their first word) of one ## section of docs/troubleshooting.md. */
  static Map<String, String> entries(String section) {
    String page;
    try {
      page = Files.readString(ROOT.resolve("docs/troubleshooting.md"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Matcher sec = Pattern.compile("(?ms)^## " + Pattern.quote(section) + "\\s*$(.*?)(?=^## |\\z)").matcher(page);
    assertThat(sec.find()).as("docs/troubleshooting.md has a section \"## %s\"", section).isTrue();
    Map<String, String> entries = new LinkedHashMap<>();
    Matcher e = Pattern.compile("(?ms)^### `?(\\w+)`?[^\\n]*\\n(.*?)(?=^### |\\z)").matcher(sec.group(1));
    while (e.find()) {
      entries.put(e.group(1), e.group(2));
    }
    return entries;
  }

  /** Every event reason of one type ("normal" or "warning", tryWarning included) the operator's code can write. */
  static TreeSet<String> events(String type) {
    TreeSet<String> reasons = new TreeSet<>();
    List<Path> files;
    try (Stream<Path> s = Files.walk(SOURCES)) {
      files = s.filter(p -> p.toString().endsWith(".java")).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (Path f : files) {
      String source;
      try {
        source = Files.readString(f);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Matcher m = EVENT_CALL.matcher(source);
      while (m.find()) {
        String call = m.group(1).equals("normal") ? "normal" : "warning";
        if (call.equals(type)) {
          reasons.addAll(resolve(m.group(2), source, f));
        }
      }
    }
    return reasons;
  }

  private static List<String> resolve(String expr, String source, Path file) {
    Matcher literal = Pattern.compile("^\"(\\w+)\"$").matcher(expr);
    if (literal.matches()) {
      return List.of(literal.group(1));
    }
    Matcher choice = Pattern.compile("^\\w+\\s*\\?\\s*\"(\\w+)\"\\s*:\\s*\"(\\w+)\"$").matcher(expr);
    if (choice.matches()) {
      return List.of(choice.group(1), choice.group(2));
    }
    Matcher enumConstant = Pattern.compile("^Reason\\.(\\w+)\\.name\\(\\)$").matcher(expr);
    if (enumConstant.matches()) {
      return List.of(Reason.valueOf(enumConstant.group(1)).name());
    }
    if (expr.equals("reason.name()")) {
      // any failure reason of an ApiKey (ApiKeyReconciler.report)
      List<String> all = new ArrayList<>();
      Arrays.stream(Reason.values()).filter(Reason::failure).forEach(r -> all.add(r.name()));
      return all;
    }
    if (expr.matches("\\w+(\\.\\w+)?") && Character.isUpperCase(expr.charAt(expr.lastIndexOf('.') + 1))) {
      String name = expr.substring(expr.lastIndexOf('.') + 1);
      Matcher constant = Pattern.compile("\\b" + name + "\\s*=\\s*\"(\\w+)\"").matcher(source);
      if (constant.find()) {
        return List.of(constant.group(1));
      }
    }
    throw new AssertionError("cannot tell the event reason \"" + expr + "\" in " + file
        + ": write it as a literal, a Reason constant or a constant of the same file, or teach TroubleshootingTest");
  }
}
