package dev.apikeyoperator.sandbox;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;

/** What the sandbox prints, and the checks it keeps: each passed or failed with the reason why not. */
final class Checklist {
  private final PrintStream out;
  private final List<String> passed = new ArrayList<>();
  private final List<String> failed = new ArrayList<>();

  Checklist(PrintStream out) {
    this.out = out;
  }

  PrintStream out() {
    return out;
  }

  void check(boolean ok, String what, String whyNot) {
    if (ok) {
      passed.add(what);
      line("[ok]   " + what);
    } else {
      fail(what, whyNot);
    }
  }

  void fail(String what, String why) {
    failed.add(what + ": " + why);
    line("[FAIL] " + what + ": " + why);
  }

  void step(String n, String text) {
    out.println();
    out.println("== " + n + "  " + text);
  }

  void line(String text) {
    out.println("   " + text);
  }

  void blank() {
    out.println();
  }

  void table(List<String[]> rows) {
    int[] widths = new int[rows.get(0).length];
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        widths[i] = Math.max(widths[i], String.valueOf(r[i]).length());
      }
    }
    for (String[] r : rows) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < r.length; i++) {
        b.append(String.format("%-" + (widths[i] + 2) + "s", r[i]));
      }
      line(b.toString().stripTrailing());
    }
  }

  /** Polls {@code done} every 200 ms for at most {@code max}, printing a progress line each second. */
  boolean waitFor(Duration max, BooleanSupplier done, IntFunction<String> progress) throws InterruptedException {
    long polls = max.toMillis() / 200;
    for (int i = 0; ; i++) {
      if (done.getAsBoolean()) {
        return true;
      }
      if (i >= polls) {
        return false;
      }
      if (i > 0 && i % 5 == 0) {
        line(String.format("%3d s  %s", i / 5, progress.apply(i / 5)));
      }
      Thread.sleep(200);
    }
  }

  /** Prints the summary line (and the failures); returns the exit code: 0 when every check passed. */
  int summary(long seconds) {
    out.println();
    int total = passed.size() + failed.size();
    if (failed.isEmpty()) {
      out.println("Sandbox: all " + total + " checks passed (" + seconds + " s)");
      return 0;
    }
    out.println("Sandbox: " + failed.size() + " of " + total + " checks failed (" + seconds + " s):");
    failed.forEach(f -> out.println("  - " + f));
    return 1;
  }
}
