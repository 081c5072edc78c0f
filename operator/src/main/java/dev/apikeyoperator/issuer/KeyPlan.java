package dev.apikeyoperator.issuer;

/**
 * What to create, decided before any create call.
 *
 * @param identity the resolved identity (ids only): a change means a new key
 * @param request the vendor's create request, without the key's name
 */
public record KeyPlan<R>(String identity, R request) {}
