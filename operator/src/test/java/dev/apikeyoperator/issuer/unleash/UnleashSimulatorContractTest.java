package dev.apikeyoperator.issuer.unleash;

import dev.apikeyoperator.simulator.UnleashSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The Unleash contract against the simulator (the real server runs it in UnleashServerContractIT). */
class UnleashSimulatorContractTest extends UnleashContract {
  private UnleashSimulator simulator;

  @BeforeAll
  void start() {
    simulator = UnleashSimulator.start(0);
  }

  @AfterAll
  void stop() {
    simulator.close();
  }

  @Override
  String baseUrl() {
    return simulator.baseUrl();
  }

  @Override
  String adminToken() {
    return simulator.adminToken();
  }
}
