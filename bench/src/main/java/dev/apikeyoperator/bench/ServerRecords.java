package dev.apikeyoperator.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;

/**
 * What a real API server keeps on each object and the mock does not: {@code metadata.managedFields} (who set which
 * field: here {@code kubectl apply} the spec, the operator the finalizer, status and Secrets, as a cluster records
 * them) and, on an object made with {@code kubectl apply}, the {@code kubectl.kubernetes.io/last-applied-configuration}
 * annotation (the applied manifest as JSON). The operator's cache must not pay for them per key.
 */
final class ServerRecords {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
  private static final String OPERATOR = "fabric8-kubernetes-client";

  private ServerRecords() {}

  /** An ApiKey as {@code kubectl apply} made it and the operator then finalized and gave its status. */
  static String applied(String json) {
    ObjectNode o = read(json);
    ObjectNode meta = o.with("metadata");
    ObjectNode manifest = JSON.createObjectNode();
    manifest.put("apiVersion", o.path("apiVersion").asText());
    manifest.put("kind", o.path("kind").asText());
    ObjectNode manifestMeta = manifest.putObject("metadata");
    manifestMeta.putObject("annotations");
    manifestMeta.put("name", meta.path("name").asText());
    manifestMeta.put("namespace", meta.path("namespace").asText());
    manifest.set("spec", o.path("spec").deepCopy());
    meta.with("annotations").put(LAST_APPLIED, write(manifest) + "\n");
    String time = meta.path("creationTimestamp").asText();
    ArrayNode fields = meta.putArray("managedFields");
    ObjectNode byKubectl = JSON.createObjectNode();
    byKubectl.putObject("f:metadata").putObject("f:annotations").putObject(".");
    byKubectl.with("f:metadata").with("f:annotations").putObject("f:" + LAST_APPLIED);
    byKubectl.set("f:spec", fieldsOf(o.path("spec")));
    fields.add(entry("kubectl-client-side-apply", o, time, byKubectl, null));
    ObjectNode finalizers = JSON.createObjectNode();
    ObjectNode f = finalizers.putObject("f:metadata").putObject("f:finalizers");
    f.putObject(".");
    meta.path("finalizers").forEach(v -> f.putObject("v:\"" + v.asText() + "\""));
    fields.add(entry(OPERATOR, o, time, finalizers, null));
    ObjectNode status = JSON.createObjectNode();
    status.set("f:status", fieldsOf(o.path("status")));
    fields.add(entry(OPERATOR, o, time, status, "status"));
    return write(o);
  }

  /** A Secret as the operator wrote it (labels, annotations, owners, type, data). */
  static String written(String json) {
    ObjectNode o = read(json);
    ObjectNode meta = o.with("metadata");
    ObjectNode set = JSON.createObjectNode();
    ObjectNode m = set.putObject("f:metadata");
    for (String field : new String[] {"labels", "annotations"}) {
      if (meta.has(field)) {
        m.set("f:" + field, fieldsOf(meta.get(field)));
      }
    }
    ObjectNode owners = m.putObject("f:ownerReferences");
    owners.putObject(".");
    meta.path("ownerReferences").forEach(r -> owners.putObject("k:{\"uid\":\"" + r.path("uid").asText() + "\"}")
        .setAll(fieldsOf(r)));
    if (o.has("data")) {
      set.set("f:data", fieldsOf(o.get("data")));
    }
    set.putObject("f:type");
    meta.putArray("managedFields").add(entry(OPERATOR, o, meta.path("creationTimestamp").asText(), set, null));
    return write(o);
  }

  private static ObjectNode entry(String manager, ObjectNode o, String time, ObjectNode fields, String subresource) {
    ObjectNode e = JSON.createObjectNode();
    e.put("apiVersion", o.path("apiVersion").asText());
    e.put("fieldsType", "FieldsV1");
    e.set("fieldsV1", fields);
    e.put("manager", manager);
    e.put("operation", "Update");
    if (subresource != null) {
      e.put("subresource", subresource);
    }
    e.put("time", time);
    return e;
  }

  /** FieldsV1 of a value: an object lists its fields (lists of a custom resource are atomic, as a server has them). */
  private static ObjectNode fieldsOf(JsonNode value) {
    ObjectNode out = JSON.createObjectNode();
    if (value instanceof ObjectNode obj) {
      out.putObject(".");
      for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        out.set("f:" + e.getKey(), fieldsOf(e.getValue()));
      }
    }
    return out;
  }

  private static ObjectNode read(String json) {
    try {
      return (ObjectNode) JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String write(JsonNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
