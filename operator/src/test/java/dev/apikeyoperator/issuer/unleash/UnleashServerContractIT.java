package dev.apikeyoperator.issuer.unleash;

import dev.apikeyoperator.it.RealUnleash;
import dev.apikeyoperator.testkit.RealUnleashServer;
import org.junit.jupiter.api.BeforeAll;

/** The Unleash contract against the real server (npm unleash-server with PostgreSQL), started once per test run. */
class UnleashServerContractIT extends UnleashContract {
  private RealUnleashServer server;

  @BeforeAll
  void start() {
    server = RealUnleash.serverOrSkip();
  }

  @Override
  String baseUrl() {
    return server.baseUrl();
  }

  @Override
  String adminToken() {
    return server.adminToken();
  }
}
