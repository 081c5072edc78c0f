package dev.apikeyoperator.testkit;

import dev.apikeyoperator.simulator.FmeSimulator;
import dev.apikeyoperator.simulator.SimulatorConfig;
import dev.apikeyoperator.simulator.StatsigSimulator;
import dev.apikeyoperator.simulator.StatsigSimulatorConfig;

/** The FME simulator and, when asked for, the Statsig simulator, each on a free loopback port. */
public final class Simulators implements AutoCloseable {
  private final FmeSimulator fme;
  private final StatsigSimulator statsig;

  private Simulators(FmeSimulator fme, StatsigSimulator statsig) {
    this.fme = fme;
    this.statsig = statsig;
  }

  /** Both simulators, with their default seeds. */
  public static Simulators start() {
    FmeSimulator fme = startFme();
    try {
      return new Simulators(fme, StatsigSimulator.start(StatsigSimulatorConfig.defaults().port(0)));
    } catch (RuntimeException e) {
      fme.close();
      throw e;
    }
  }

  /** The FME simulator alone, with its default seed. */
  public static Simulators fmeOnly() {
    return new Simulators(startFme(), null);
  }

  private static FmeSimulator startFme() {
    return FmeSimulator.start(SimulatorConfig.defaults().port(0));
  }

  public FmeSimulator fme() {
    return fme;
  }

  /** The Statsig simulator; null when started with {@link #fmeOnly()}. */
  public StatsigSimulator statsig() {
    return statsig;
  }

  @Override
  public void close() {
    try {
      fme.close();
    } finally {
      if (statsig != null) {
        statsig.close();
      }
    }
  }
}
