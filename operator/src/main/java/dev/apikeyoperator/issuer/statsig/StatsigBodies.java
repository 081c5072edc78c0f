package dev.apikeyoperator.issuer.statsig;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** The JSON bodies of the Statsig Console API key calls. */
final class StatsigBodies {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private StatsigBodies() {}

  /** {@code POST /keys}: type and description always; lists only when not empty; targetAppID when set. */
  static byte[] create(StatsigKeyRequest request) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("type", request.type());
    root.put("description", request.description());
    putListIfNotEmpty(root, "scopes", request.scopes());
    putListIfNotEmpty(root, "environments", request.environments());
    if (request.targetAppID() != null) {
      root.put("targetAppID", request.targetAppID());
    }
    putListIfNotEmpty(root, "secondaryTargetAppIDs", request.secondaryTargetAppIDs());
    return bytes(root);
  }

  /** {@code PATCH /keys/{key}}: only the fields that are not null (an empty list clears). */
  static byte[] update(StatsigKeyUpdate update) {
    ObjectNode root = MAPPER.createObjectNode();
    if (update.description() != null) {
      root.put("description", update.description());
    }
    putListIfNotNull(root, "scopes", update.scopes());
    putListIfNotNull(root, "environments", update.environments());
    if (update.targetAppID() != null) {
      root.put("targetAppID", update.targetAppID());
    }
    putListIfNotNull(root, "secondaryTargetAppIDs", update.secondaryTargetAppIDs());
    return bytes(root);
  }

  private static void putListIfNotEmpty(ObjectNode root, String field, List<String> values) {
    if (!values.isEmpty()) {
      putListIfNotNull(root, field, values);
    }
  }

  private static void putListIfNotNull(ObjectNode root, String field, List<String> values) {
    if (values != null) {
      ArrayNode array = root.putArray(field);
      values.forEach(array::add);
    }
  }

  private static byte[] bytes(ObjectNode root) {
    try {
      return MAPPER.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize a request body", e);
    }
  }
}
