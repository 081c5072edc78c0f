package dev.apikeyoperator.simulator;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * A test class against one {@link StatsigSimulator} started for the whole class with the defaults on an ephemeral
 * port, and reset (keys, counts, faults, mutation limits back to 100 per 10 s and 1 800
 * attempts per 15 min, rules back to the vendor's) before each test. A
 * subclass adds its own seeding in its own {@code @BeforeAll}, which JUnit runs after this one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class StatsigSimulatorTestBase {

  StatsigSimulator sim;
  StatsigHttp http;

  @BeforeAll
  void startSimulator() {
    sim = StatsigSimulator.start(StatsigSimulatorConfig.defaults().port(0));
    http = new StatsigHttp(sim);
  }

  @AfterAll
  void stopSimulator() {
    sim.close();
  }

  @BeforeEach
  void resetSimulator() {
    sim.reset();
    sim.faults().clear();
    sim.setMutationLimits(100, 1800);
    sim.rules().copyFrom(new StatsigRules());
  }
}
