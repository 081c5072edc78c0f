package dev.apikeyoperator.ledger;

import java.time.Instant;

/**
 * The intent to create a key, written before the vendor call. An intent with no outcome is never retried silently.
 *
 * @param name the vendor-side name of the key to be created
 * @param startedAt when the attempt started
 * @param rotatedFrom for a native rotation (the vendor replaces a key), the name of the key being replaced
 */
public record PendingCreation(String name, Instant startedAt, String rotatedFrom) {}
