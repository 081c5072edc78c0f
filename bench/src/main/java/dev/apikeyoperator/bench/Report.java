package dev.apikeyoperator.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The rows and details of one run: a markdown table (scenario, figure, measured, goal, met?) and a list of details,
 * written into a file between the {@code bench:begin}/{@code bench:end} markers (the text around them is kept).
 */
final class Report {
  static final String BEGIN = "<!-- bench:begin -->";
  static final String END = "<!-- bench:end -->";

  record Row(String section, String figure, String measured, String goal, Boolean met) {}

  private final List<Row> rows = new ArrayList<>();
  private final List<String> details = new ArrayList<>();

  /** A row; {@code met} null when the figure has no goal. */
  void row(String section, String figure, String measured, String goal, Boolean met) {
    rows.add(new Row(section, figure, measured, goal, met));
  }

  /** A row without a goal. */
  void info(String section, String figure, String measured) {
    row(section, figure, measured, "—", null);
  }

  void detail(String text) {
    details.add(text);
  }

  String table() {
    StringBuilder b = new StringBuilder();
    b.append("| scenario | figure | measured | goal | met? |\n|---|---|---|---|---|\n");
    for (Row r : rows) {
      b.append("| ").append(r.section).append(" | ").append(r.figure).append(" | ").append(r.measured)
          .append(" | ").append(r.goal).append(" | ").append(r.met == null ? "—" : r.met ? "yes" : "**no**")
          .append(" |\n");
    }
    return b.toString();
  }

  String render(String command, String jvmFlags, double minutes) {
    StringBuilder b = new StringBuilder();
    b.append("Run on ").append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME.withLocale(
        Locale.ROOT)).replaceAll("\\.\\d+", "")).append(" with\n\n```\n").append(command).append("\n```\n\n");
    b.append("Machine: ").append(Machine.describe()).append("\n\n");
    b.append("Operator JVM flags: `").append(jvmFlags.isBlank() ? "(none)" : jvmFlags).append("`\n\n");
    b.append(String.format(Locale.ROOT, "The whole run took %.1f min.%n%n", minutes));
    b.append(table()).append('\n');
    b.append("Details (counts are deltas over each scenario's window):\n\n");
    b.append("- Load average (1/5/15 min) when the run ended: ").append(Machine.loadAverage())
        .append(" (anything above the operator's and the bench's own share means other work shared the CPUs)\n");
    for (String d : details) {
      b.append("- ").append(d.replace("\n", "\n  ")).append('\n');
    }
    return b.toString();
  }

  /** Writes {@code md} between the markers of {@code out} (appended when it has none, created when absent). */
  static void writeInto(Path out, String md) throws IOException {
    String block = BEGIN + "\n" + md + END;
    String text;
    if (Files.isRegularFile(out)) {
      String old = Files.readString(out);
      int b = old.indexOf(BEGIN);
      int e = old.indexOf(END);
      text = b >= 0 && e > b ? old.substring(0, b) + block + old.substring(e + END.length())
          : old + "\n" + block + "\n";
    } else {
      text = "# Benchmarks\n\n" + block + "\n";
    }
    if (out.toAbsolutePath().getParent() != null) {
      Files.createDirectories(out.toAbsolutePath().getParent());
    }
    Files.writeString(out, text, StandardCharsets.UTF_8);
  }
}
