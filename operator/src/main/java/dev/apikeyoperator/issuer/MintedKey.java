package dev.apikeyoperator.issuer;

import dev.apikeyoperator.secretvalue.KeyValue;
import java.time.Instant;

/** A key the vendor created (or that was found again). */
public record MintedKey(String id, KeyValue value, Instant createdAt) {}
