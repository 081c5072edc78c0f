package dev.apikeyoperator.lenientread;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads a spec (or a status) so that no value can make it fail: a value this version does not know (an enum value
 * of a newer CRD, a string where a list belongs) becomes null and is noted in {@link ReadNotes#readProblems()}, a
 * field it does not know is skipped and noted in {@link ReadNotes#unknownFields()}. A failure here would stop the
 * informer, and with it the operator, for every tenant (docs/concepts/ready-and-synced.md).
 */
public final class LenientDeserializer extends JsonDeserializer<Object> implements ContextualDeserializer {
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();
  private static final int MAX_NOTES = 20;
  private static final int MAX_QUOTED = 40;

  private final JavaType type;
  private final String root;

  public LenientDeserializer() {
    this(null, "spec");
  }

  private LenientDeserializer(JavaType type, String root) {
    this.type = type;
    this.root = root;
  }

  @Override
  public JsonDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty property) {
    JavaType t = property != null ? property.getType() : ctxt.getContextualType();
    return new LenientDeserializer(t, property != null ? property.getName() : root);
  }

  @Override
  public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
    JsonNode tree = p.readValueAsTree();
    return read(tree, type, root);
  }

  /** Reads {@code tree} as {@code type}; never throws for what the tree holds. */
  static Object read(JsonNode tree, JavaType type, String root) {
    Collector notes = new Collector(root);
    Object value;
    try {
      value = JSON.readerFor(type).withHandler(notes).readValue(tree);
    } catch (IOException | RuntimeException e) {
      notes.problems.add(root + " cannot be read by this operator version (" + e.getClass().getSimpleName() + ")");
      value = emptyOf(type);
    }
    if (value instanceof ReadNotes n) {
      n.note(notes.problems, notes.unknown);
    }
    return value;
  }

  private static Object emptyOf(JavaType type) {
    try {
      return type.getRawClass().getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      return null;
    }
  }

  /** Turns each reading problem into a note and a null, so that reading goes on. */
  private static final class Collector extends DeserializationProblemHandler {
    private final String root;
    private final List<String> problems = new ArrayList<>();
    private final List<String> unknown = new ArrayList<>();

    Collector(String root) {
      this.root = root;
    }

    @Override
    public boolean handleUnknownProperty(DeserializationContext ctxt, JsonParser p, JsonDeserializer<?> deserializer,
        Object beanOrClass, String propertyName) throws IOException {
      if (unknown.size() < MAX_NOTES) {
        // On a list or map value the parser already stands inside it: its field is the parent's current name.
        boolean inValue = p.currentToken() == JsonToken.START_ARRAY || p.currentToken() == JsonToken.START_OBJECT;
        unknown.add(path(inValue ? p.getParsingContext().getParent() : p.getParsingContext(), null));
      }
      p.skipChildren();
      return true;
    }

    @Override
    public Object handleWeirdStringValue(DeserializationContext ctxt, Class<?> targetType, String value,
        String failureMsg) {
      note(ctxt.getParser(), "'" + quote(value) + "' is not " + expected(targetType));
      return null;
    }

    @Override
    public Object handleWeirdNumberValue(DeserializationContext ctxt, Class<?> targetType, Number value,
        String failureMsg) {
      note(ctxt.getParser(), value + " is not " + expected(targetType));
      return null;
    }

    @Override
    public Object handleUnexpectedToken(DeserializationContext ctxt, JavaType targetType, JsonToken t, JsonParser p,
        String failureMsg) throws IOException {
      note(p, "a " + kind(t) + " is not " + expected(targetType.getRawClass()));
      p.skipChildren();
      return null;
    }

    @Override
    public Object handleMissingInstantiator(DeserializationContext ctxt, Class<?> instClass,
        com.fasterxml.jackson.databind.deser.ValueInstantiator valueInsts, JsonParser p, String msg)
        throws IOException {
      note(p, "a " + kind(p.currentToken()) + " is not a map (" + instClass.getSimpleName() + ")");
      p.skipChildren();
      return null;
    }

    private void note(JsonParser p, String what) {
      if (problems.size() < MAX_NOTES) {
        problems.add(path(p.getParsingContext(), null) + ": " + what + "; fix the value, or upgrade the operator if "
            + "the CRD is newer than it");
      }
    }

    /** The field's path as a user writes it: {@code spec.fme.roles[0]}. */
    private String path(JsonStreamContext context, String last) {
      List<String> parts = new ArrayList<>();
      for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
        if (c.inArray()) {
          parts.add(0, "[" + Math.max(0, c.getCurrentIndex()) + "]");
        } else if (c.getCurrentName() != null) {
          parts.add(0, "." + quote(c.getCurrentName()));
        }
      }
      StringBuilder b = new StringBuilder(root);
      parts.forEach(b::append);
      if (last != null) {
        b.append('.').append(last);
      }
      return b.toString();
    }

    private static String expected(Class<?> type) {
      if (type.isEnum()) {
        return "one of " + Arrays.stream(type.getEnumConstants()).map(String::valueOf)
            .collect(Collectors.joining(", "));
      }
      if (List.class.isAssignableFrom(type)) {
        return "a list";
      }
      return "a " + (type == String.class ? "string" : type.getSimpleName().toLowerCase(java.util.Locale.ROOT));
    }

    private static String kind(JsonToken t) {
      return switch (t) {
        case START_ARRAY -> "list";
        case START_OBJECT -> "map";
        case VALUE_STRING -> "string";
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number";
        case VALUE_TRUE, VALUE_FALSE -> "boolean";
        default -> "value";
      };
    }
  }

  /** At most {@link #MAX_QUOTED} printable characters of a tenant's text. */
  static String quote(String s) {
    String clean = s.codePoints().filter(c -> c >= 0x20 && c != 0x7f && c < 0x2028)
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    return clean.length() <= MAX_QUOTED ? clean : clean.substring(0, MAX_QUOTED) + "...";
  }
}
