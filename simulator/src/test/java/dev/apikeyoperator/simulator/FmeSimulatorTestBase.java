package dev.apikeyoperator.simulator;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * A test class against one {@link FmeSimulator} started for the whole class with {@link #config()}, and reset (keys,
 * counts, faults, rules back to the config's) before each test. A subclass adds its own seeding in its own {@code @BeforeAll}/{@code @BeforeEach},
 * which JUnit runs after these.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FmeSimulatorTestBase {

  FmeSimulator sim;
  SimHttp http;

  /** The configuration the simulator starts with; the defaults on an ephemeral port unless overridden. */
  SimulatorConfig config() {
    return SimulatorConfig.defaults().port(0);
  }

  @BeforeAll
  void startSimulator() {
    sim = FmeSimulator.start(config());
    http = new SimHttp(sim);
  }

  @AfterAll
  void stopSimulator() {
    sim.close();
  }

  @BeforeEach
  void resetSimulator() {
    sim.reset();
    sim.faults().clear();
    sim.rules().copyFrom(config().rules());
  }
}
