package dev.apikeyoperator.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's smoke form: a small burst (one variant applied to a running operator, one pending at its start)
 * and the scale scenario on a few preloaded keys (the seed, the clone into the mock's store, the restart on them)
 * run to the end against the built operator jar and produce a table. No figure is asserted: CI machines vary, the
 * figures are for BENCHMARKS.md.
 */
class BenchmarkSmokeTest {

  @Test
  void smallBurstAndPreloadedScaleProduceATable() throws Exception {
    Path out = Path.of(System.getProperty("bench.work.dir", "target/bench-smoke")).resolve("BENCHMARKS.md");
    Files.deleteIfExists(out);
    int exit = Benchmark.run("--small", "--scenarios", "burst,scale", "--variants", "running,pending-ratelimit",
        "--memory-keys", "50", "--workloads", "0", "--out", out.toString());
    assertEquals(0, exit, "the benchmark did not complete; see its output above");
    String table = Benchmark.lastTable;
    assertNotNull(table);
    assertFalse(table.contains("the scenario failed"), table);
    assertTrue(table.contains("| Burst running | time / (N/R), first vendor create"), table);
    assertTrue(table.contains("| Burst pending-ratelimit | 429 answers in the first second"), table);
    assertTrue(table.contains("| Steady state | writes of any kind to the mock API server"), table);
    assertTrue(table.contains("| Memory | heap per Ready key"), table);
    String md = Files.readString(out);
    assertTrue(md.contains("<!-- bench:begin -->") && md.contains(table), md);
  }
}
