package dev.apikeyoperator.ledger;

import java.time.Instant;

/** The intent to create a key, written before the vendor call. An intent with no outcome is never retried silently. */
public record PendingCreation(String name, Instant startedAt) {}
