package dev.apikeyoperator.issuer.fme;

import dev.apikeyoperator.secretvalue.KeyValue;
import java.time.Instant;

/**
 * A key the vendor created. {@code id} is {@code null} when the response did not carry one (then revoke by
 * the value). {@link #toString()} shows only the value's fingerprint.
 */
public record FmeCreatedKey(String name, String id, KeyValue value, Instant createdAt) {}
