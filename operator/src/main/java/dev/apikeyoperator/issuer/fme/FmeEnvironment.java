package dev.apikeyoperator.issuer.fme;

/** An FME environment of one project. */
public record FmeEnvironment(String id, String name) {}
