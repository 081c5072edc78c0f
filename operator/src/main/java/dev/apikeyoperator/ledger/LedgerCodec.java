package dev.apikeyoperator.ledger;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apikeyoperator.secretvalue.KeyValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Turns a Ledger into the JSON document kept in the ledger Secret, and back. */
final class LedgerCodec {
  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
      .setSerializationInclusion(JsonInclude.Include.NON_NULL);

  private LedgerCodec() {}

  /** JSON shape of the ledger; version 1. */
  static final class Doc {
    public int version = 1;
    public PendingDoc pending;
    public KeyDoc current;
    public List<KeyDoc> previous = new ArrayList<>();
    public String rotateRequest;
    public String rolledOutFingerprint;
    public String revokedExternally;
  }

  static final class PendingDoc {
    public String name;
    public String startedAt;
    public String rotatedFrom;
    public boolean warned;
  }

  static final class KeyDoc {
    public String name;
    public String id;
    public String value;
    public String createdAt;
    public String identity;
    public String specIdentity;
    public String settings;
    public String revokeAfter;
    public String vendorExpiry;
    public String provider;
  }

  static String encode(Ledger ledger) {
    Doc doc = new Doc();
    if (ledger.pending() != null) {
      doc.pending = new PendingDoc();
      doc.pending.name = ledger.pending().name();
      doc.pending.startedAt = str(ledger.pending().startedAt());
      doc.pending.rotatedFrom = ledger.pending().rotatedFrom();
      doc.pending.warned = ledger.pending().warned();
    }
    doc.current = key(ledger.current());
    ledger.previous().forEach(k -> doc.previous.add(key(k)));
    doc.rotateRequest = ledger.rotateRequest();
    doc.rolledOutFingerprint = ledger.rolledOutFingerprint();
    doc.revokedExternally = ledger.revokedExternally();
    try {
      return JSON.writeValueAsString(doc);
    } catch (IOException e) {
      throw new UncheckedIOException("could not encode the key ledger", e);
    }
  }

  static Ledger decode(String json, String resourceVersion) {
    Doc doc;
    try {
      doc = JSON.readValue(json, Doc.class);
    } catch (IOException e) {
      // Never include the document: it holds key values.
      throw new IllegalStateException("the key ledger Secret is not readable JSON (" + e.getClass().getSimpleName()
          + "); it must not be edited by hand");
    }
    PendingCreation pending = doc.pending == null ? null
        : new PendingCreation(doc.pending.name, instant(doc.pending.startedAt), doc.pending.rotatedFrom,
            doc.pending.warned);
    List<LedgerKey> previous = new ArrayList<>();
    if (doc.previous != null) {
      doc.previous.forEach(k -> previous.add(key(k)));
    }
    return new Ledger(pending, key(doc.current), previous, doc.rotateRequest, doc.rolledOutFingerprint,
        doc.revokedExternally, resourceVersion);
  }

  private static KeyDoc key(LedgerKey k) {
    if (k == null) {
      return null;
    }
    KeyDoc d = new KeyDoc();
    d.name = k.name();
    d.id = k.id();
    d.value = k.value().reveal();
    d.createdAt = str(k.createdAt());
    d.identity = k.identity();
    d.specIdentity = k.specIdentity();
    d.settings = k.settings();
    d.revokeAfter = str(k.revokeAfter());
    d.vendorExpiry = str(k.vendorExpiry());
    d.provider = k.provider();
    return d;
  }

  private static LedgerKey key(KeyDoc d) {
    if (d == null) {
      return null;
    }
    return new LedgerKey(d.name, d.id, KeyValue.of(d.value), instant(d.createdAt), d.identity, d.specIdentity,
        d.settings == null ? "" : d.settings, instant(d.revokeAfter), instant(d.vendorExpiry), d.provider);
  }

  private static String str(Instant i) {
    return i == null ? null : i.toString();
  }

  private static Instant instant(String s) {
    return s == null ? null : Instant.parse(s);
  }
}
