package dev.apikeyoperator.validation;

import dev.apikeyoperator.api.v1alpha1.ApiKeySpec;
import io.fabric8.generator.annotation.Size;
import java.lang.reflect.AnnotatedParameterizedType;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The CRD's size limits ({@code maxLength}, {@code maxItems}, {@code maxProperties}), checked by the operator
 * itself, since not every API server enforces them. They are read from the same {@link Size} annotations the CRD
 * is generated from, so the schema and the operator cannot disagree. A message names the field and the limit,
 * never the value (which may be huge).
 */
public final class SizeLimits {
  private static final String MODEL_PACKAGE = ApiKeySpec.class.getPackageName();

  /** Map keys are label and annotation keys: a 253-character prefix, '/', a 63-character name. */
  static final int MAX_MAP_KEY = 317;

  private SizeLimits() {}

  /** The size problems of {@code object} (a spec or part of one) found under {@code path}. */
  public static List<String> check(Object object, String path) {
    List<String> problems = new ArrayList<>();
    walk(object, path, problems);
    return problems;
  }

  private static void walk(Object object, String path, List<String> problems) {
    if (object == null || !object.getClass().getPackageName().equals(MODEL_PACKAGE) || object.getClass().isEnum()) {
      return;
    }
    for (Class<?> c = object.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        if (Modifier.isStatic(f.getModifiers()) || !Modifier.isPublic(f.getModifiers())) {
          continue;
        }
        Object value;
        try {
          value = f.get(object);
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
        checkValue(value, f.getAnnotatedType(), path + "." + f.getName(), problems);
      }
    }
  }

  private static void checkValue(Object value, AnnotatedType type, String path, List<String> problems) {
    if (value == null) {
      return;
    }
    Size size = type == null ? null : type.getAnnotation(Size.class);
    AnnotatedType[] args = type instanceof AnnotatedParameterizedType p ? p.getAnnotatedActualTypeArguments()
        : new AnnotatedType[0];
    if (value instanceof String s) {
      if (size != null && s.codePointCount(0, s.length()) > size.max()) {
        problems.add(path + " has " + s.codePointCount(0, s.length()) + " characters: use at most " + size.max());
      }
    } else if (value instanceof List<?> list) {
      if (size != null && list.size() > size.max()) {
        problems.add(path + " has " + list.size() + " entries: use at most " + size.max());
        return;
      }
      for (int i = 0; i < list.size(); i++) {
        checkValue(list.get(i), args.length == 1 ? args[0] : null, path + "[" + i + "]", problems);
      }
    } else if (value instanceof Map<?, ?> map) {
      if (size != null && map.size() > size.max()) {
        problems.add(path + " has " + map.size() + " entries: use at most " + size.max());
        return;
      }
      map.forEach((k, v) -> {
        String key = String.valueOf(k);
        if (key.length() > MAX_MAP_KEY) {
          problems.add(path + " has a key of " + key.length() + " characters: use at most " + MAX_MAP_KEY);
        } else {
          checkValue(v, args.length == 2 ? args[1] : null, path + "[" + key + "]", problems);
        }
      });
    } else {
      walk(value, path, problems);
    }
  }
}
