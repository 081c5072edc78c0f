package dev.apikeyoperator.it;

import dev.apikeyoperator.testkit.RealUnleashServer;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/** The real Unleash server for a test: skipped where it is not installed, failed where REQUIRE_UNLEASH=true. */
public final class RealUnleash {
  private RealUnleash() {}

  public static RealUnleashServer serverOrSkip() {
    try {
      RealUnleashServer server = RealUnleashServer.shared();
      System.out.println("The real Unleash server at " + server.baseUrl() + " took " + server.startedIn().toSeconds()
          + " s to start (once per test run)");
      return server;
    } catch (RealUnleashServer.Unavailable e) {
      if (RealUnleashServer.required()) {
        Assertions.fail(RealUnleashServer.REQUIRE_ENV + "=true, but " + e.getMessage());
      }
      System.out.println("Skipped: " + e.getMessage()); // shown in the build's output, not only the report
      Assumptions.abort("Skipped: " + e.getMessage());
      throw e;
    }
  }
}
