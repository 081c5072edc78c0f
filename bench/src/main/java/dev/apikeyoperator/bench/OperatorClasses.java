package dev.apikeyoperator.bench;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;

/**
 * The few operator classes the bench needs to write state exactly as the operator does (the ledger seal, the key
 * fingerprint), loaded from the very operator jar under test: the benchmark's own jar does not carry the operator.
 */
final class OperatorClasses {
  private final Class<?> sealClass;
  private final Method fingerprintOf;

  OperatorClasses(Path operatorJar) {
    try {
      // the shaded jar carries everything its classes need; not the bench's class path (whose operator classes,
      // in the build, come without their dependencies)
      URLClassLoader loader = new URLClassLoader(new URL[] {operatorJar.toAbsolutePath().toUri().toURL()},
          ClassLoader.getPlatformClassLoader());
      sealClass = loader.loadClass("dev.apikeyoperator.ledger.LedgerSeal");
      fingerprintOf = loader.loadClass("dev.apikeyoperator.secretvalue.KeyValue").getMethod("fingerprintOf",
          String.class);
    } catch (ReflectiveOperationException | java.net.MalformedURLException e) {
      throw new IllegalStateException("the operator jar " + operatorJar + " lacks the ledger seal or key classes "
          + "the preload uses", e);
    }
  }

  /** {@code LedgerSeal.SECRET_NAME}: the Secret holding the seal key. */
  String sealSecretName() {
    return (String) constant(sealClass, "SECRET_NAME");
  }

  /** {@code LedgerSeal.KEY_DATA}: its data key. */
  String sealKeyData() {
    return (String) constant(sealClass, "KEY_DATA");
  }

  /** A function (namespace, name, uid, document) → the operator's seal of that ledger document with {@code key}. */
  Sealer sealer(byte[] key) {
    try {
      Object seal = sealClass.getMethod("withKey", byte[].class).invoke(null, (Object) key);
      Method m = sealClass.getMethod("seal", String.class, String.class, String.class, String.class);
      return (ns, name, uid, doc) -> {
        try {
          return (String) m.invoke(seal, ns, name, uid, doc);
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException("LedgerSeal.seal failed", e);
        }
      };
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("LedgerSeal.withKey failed", e);
    }
  }

  /** {@code KeyValue.fingerprintOf(value)}: what status and events show of a key. */
  String fingerprint(String value) {
    try {
      return (String) fingerprintOf.invoke(null, value);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("KeyValue.fingerprintOf failed", e);
    }
  }

  /** A static constant of an operator class (package-private ones too), or {@code fallback} when it has none. */
  Object constant(String className, String field, Object fallback) {
    try {
      return constant(sealClass.getClassLoader().loadClass(className), field);
    } catch (ReflectiveOperationException | IllegalStateException | LinkageError e) {
      return fallback;
    }
  }

  private static Object constant(Class<?> type, String name) {
    try {
      Field f = type.getDeclaredField(name);
      f.setAccessible(true);
      return f.get(null);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(type.getName() + " has no constant " + name, e);
    }
  }

  interface Sealer {
    String seal(String namespace, String name, String uid, String document);
  }
}
