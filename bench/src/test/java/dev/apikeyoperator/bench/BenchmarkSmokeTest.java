package dev.apikeyoperator.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's smoke form (issue #6): the small burst and steady-state scenarios run to the end against the built
 * operator jar and produce a table. No timing is asserted: CI machines vary, the figures are for BENCHMARKS.md.
 */
class BenchmarkSmokeTest {

  @Test
  void smallBurstAndSteadyStateProduceATable() throws Exception {
    Path out = Path.of(System.getProperty("bench.work.dir", "target/bench-smoke")).resolve("BENCHMARKS.md");
    Files.deleteIfExists(out);
    int exit = Benchmark.run("--small", "--scenarios", "burst,steady", "--out", out.toString());
    assertEquals(0, exit, "the benchmark did not complete; see its output above");
    String table = Benchmark.lastTable;
    assertNotNull(table);
    assertTrue(table.contains("| Burst | time / (N/R) |"), table);
    assertTrue(table.contains("| Steady state | vendor calls after a restart"), table);
    String md = Files.readString(out);
    assertTrue(md.contains("<!-- bench:begin -->") && md.contains(table), md);
  }
}
