package dev.apikeyoperator.issuer.fme;

/** An FME project (the Admin API calls it a workspace). */
public record FmeWorkspace(String id, String name) {}
