package dev.apikeyoperator.api.v1alpha1;

/** Unleash API token types the operator mints (admin tokens never: they are the provider's own credential). */
public enum UnleashTokenType {
  /** A backend (server-side SDK) token; Unleash also calls it {@code client}. */
  backend,
  /** A frontend token, for the Frontend API and client-side SDKs. */
  frontend
}
