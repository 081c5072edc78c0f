package dev.apikeyoperator.api.v1alpha1;

/** Statsig key types the operator manages. */
public enum StatsigKeyType {
  /** Server secret key (secret-...). */
  SERVER,
  /** Client SDK key (client-...). */
  CLIENT,
  /** Console API key (console-...): as powerful as an admin key. */
  CONSOLE
}
