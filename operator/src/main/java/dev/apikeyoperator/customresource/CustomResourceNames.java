package dev.apikeyoperator.customresource;

import io.fabric8.kubernetes.client.CustomResource;
import java.lang.reflect.Field;

/**
 * fabric8's {@link CustomResource} works out its kind's names (plural, singular, CRD name, apiVersion, scope) anew
 * for every object it constructs: five strings per cached ApiKey, the same in all of them (BENCHMARKS.md, issue 13:
 * heap per Ready key). They are shared here once the object is constructed.
 */
final class CustomResourceNames {
  private static final Field[] NAMES = names("singular", "crdName", "kind", "apiVersion", "scope", "plural");

  private CustomResourceNames() {}

  static void share(CustomResource<?, ?> resource) {
    for (Field f : NAMES) {
      try {
        Object value = f.get(resource);
        if (value instanceof String s) {
          f.set(resource, s.intern());
        }
      } catch (IllegalAccessException e) {
        return; // not shared: a few more bytes per object, nothing else
      }
    }
  }

  private static Field[] names(String... fields) {
    try {
      Field[] out = new Field[fields.length];
      for (int i = 0; i < fields.length; i++) {
        out[i] = CustomResource.class.getDeclaredField(fields[i]);
        out[i].setAccessible(true);
      }
      return out;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return new Field[0]; // another fabric8 version: nothing to share
    }
  }
}
