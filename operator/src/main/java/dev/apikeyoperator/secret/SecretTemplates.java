package dev.apikeyoperator.secret;

import com.github.mustachejava.Code;
import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;
import com.github.mustachejava.codes.DynamicPartialCode;
import com.github.mustachejava.codes.ExtendCheckNameCode;
import com.github.mustachejava.codes.ExtendNameCode;
import com.github.mustachejava.codes.IterableCode;
import com.github.mustachejava.codes.PartialCode;
import com.github.mustachejava.codes.ValueCode;
import dev.apikeyoperator.secretvalue.KeyValue;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code spec.secret.template.data} (docs/guides/secret-templates.md): more data keys of the managed Secret, each
 * rendered from a logic-less Mustache template with the variables {@link #VARIABLES}. Rendering writes values raw
 * (no HTML escaping: {@code {{key}}} is the key itself), partials are refused (a template never reads a file),
 * and a template may name only the known variables. Rendered values are never logged, nor put in a message.
 */
public final class SecretTemplates {
  /** The variables a template may use, in the order messages list them. */
  public static final List<String> VARIABLES = List.of("key", "keyName", "keyId", "fingerprint", "vendor",
      "clientSideId", "serverUrl");
  /** The API server refuses a Secret whose data (names plus values, in bytes) is larger than 1 MiB. */
  public static final int MAX_SECRET_BYTES = 1024 * 1024;
  /**
   * The longest value each variable may have, longer than any vendor's keys, ids and names; a longer one (an adopted
   * value, a vendor's answer) is refused, so that a template's size is bounded before anything is rendered.
   */
  public static final Map<String, Integer> MAX_LENGTHS = Map.of("key", 512, "keyName", 256, "keyId", 512,
      "fingerprint", 32, "vendor", 32, "clientSideId", 128, "serverUrl", 2048);
  private static final Pattern DATA_KEY = Pattern.compile("[-._a-zA-Z0-9]+");
  private static final int MAX_DATA_KEY_LENGTH = 253;

  /**
   * What a template can render: the key and what the operator knows of it.
   *
   * @param clientSideId LaunchDarkly: the environment's client-side id (public), else null
   * @param serverUrl Unleash: the provider's baseUrl (what every Unleash SDK needs beside the token), else null
   */
  public record KeyFacts(KeyValue value, String keyName, String keyId, String vendor, String clientSideId,
      String serverUrl) {
    public KeyFacts(KeyValue value, String keyName, String keyId, String vendor) {
      this(value, keyName, keyId, vendor, null, null);
    }

    Map<String, Object> scope() {
      Map<String, Object> scope = new HashMap<>();
      scope.put("key", value.reveal());
      scope.put("keyName", keyName);
      scope.put("keyId", keyId);
      scope.put("fingerprint", value.fingerprint());
      scope.put("vendor", vendor);
      scope.put("clientSideId", clientSideId);
      scope.put("serverUrl", serverUrl);
      return scope;
    }
  }

  private SecretTemplates() {}

  /**
   * Problems of the templates, each a plain sentence: a data key that is not a valid Secret key or that is the
   * key's own data key ({@code keyDataKey}), a template that does not parse or names an unknown variable, and
   * templates whose rendered Secret would exceed {@link #MAX_SECRET_BYTES}.
   */
  public static List<String> problems(Map<String, String> templates, String keyDataKey) {
    List<String> problems = new ArrayList<>();
    if (templates == null || templates.isEmpty()) {
      return problems;
    }
    Map<String, Mustache> compiled = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : templates.entrySet()) {
      String dataKey = e.getKey();
      String field = "spec.secret.template.data['" + dataKey + "']";
      if (dataKey == null || dataKey.length() > MAX_DATA_KEY_LENGTH || !DATA_KEY.matcher(dataKey).matches()) {
        problems.add("spec.secret.template.data has an invalid data key '" + dataKey + "': use 1 to "
            + MAX_DATA_KEY_LENGTH + " letters, digits, '-', '_' and '.'");
        continue;
      }
      if (dataKey.equals(keyDataKey)) {
        problems.add(field + " collides with spec.secret.key: the data key '" + keyDataKey + "' holds the key "
            + "value itself; name the template's data key differently");
        continue;
      }
      if (e.getValue() == null) {
        problems.add(field + " is empty: give a template, or remove the data key");
        continue;
      }
      try {
        Mustache mustache = compile(dataKey, e.getValue());
        List<String> unknown = new ArrayList<>();
        if (!onlyKnownVariables(mustache.getCodes(), unknown)) {
          problems.add(field + " uses a partial or an inheritance tag: templates may only use the variables "
              + String.join(", ", VARIABLES));
        } else if (!unknown.isEmpty()) {
          problems.add(field + " uses the unknown variable" + (unknown.size() > 1 ? "s " : " ")
              + String.join(", ", unknown) + ": templates may use " + String.join(", ", VARIABLES));
        } else {
          compiled.put(dataKey, mustache);
        }
      } catch (MustacheException ex) {
        problems.add(field + " is not a valid Mustache template: " + shortened(ex.getMessage()));
      }
    }
    if (problems.isEmpty()) {
      // An upper bound, reached without rendering: the template's own text plus, for every variable it names (in
      // a section or an inverted section alike), the longest value that variable may have.
      long size = keyDataKey.length() + MAX_LENGTHS.get("key");
      for (Map.Entry<String, Mustache> e : compiled.entrySet()) {
        size += e.getKey().length() + templates.get(e.getKey()).getBytes(StandardCharsets.UTF_8).length
            + longestValues(e.getValue().getCodes());
      }
      if (size > MAX_SECRET_BYTES) {
        problems.add("spec.secret.template.data would make the Secret about " + size + " bytes, over the "
            + MAX_SECRET_BYTES + " bytes a Secret may hold: shorten the templates or use fewer data keys");
      }
    }
    return problems;
  }

  /**
   * The rendered data keys, in the templates' order. The templates must have passed {@link #problems}; an
   * invalid one here is a bug (IllegalArgumentException, naming only the data key).
   */
  public static Map<String, String> render(Map<String, String> templates, KeyFacts facts)
      throws SecretTooLargeException {
    for (Map.Entry<String, Object> e : facts.scope().entrySet()) {
      int length = e.getValue() == null ? 0 : e.getValue().toString().length();
      if (length > MAX_LENGTHS.get(e.getKey())) {
        throw new SecretTooLargeException("The " + e.getKey() + " of this key is " + length + " characters long, "
            + "more than the " + MAX_LENGTHS.get(e.getKey()) + " a Secret template may be given: it was not written"
            + ("key".equals(e.getKey()) ? " (an adopted Secret must hold the key alone)" : ""));
      }
    }
    Map<String, Mustache> compiled = new LinkedHashMap<>();
    if (templates != null) {
      templates.forEach((dataKey, template) -> {
        try {
          compiled.put(dataKey, compile(dataKey, template));
        } catch (MustacheException e) {
          throw new IllegalArgumentException("spec.secret.template.data['" + dataKey + "'] does not parse");
        }
      });
    }
    return renderCompiled(compiled, facts);
  }

  /** The size the API server counts for a Secret's data: every data key's name and value, in bytes. */
  public static int size(Map<String, String> data) {
    return data.entrySet().stream().mapToInt(e -> e.getKey().getBytes(StandardCharsets.UTF_8).length
        + e.getValue().getBytes(StandardCharsets.UTF_8).length).sum();
  }

  private static Map<String, String> renderCompiled(Map<String, Mustache> compiled, KeyFacts facts)
      throws SecretTooLargeException {
    Map<String, Object> scope = facts.scope();
    Map<String, String> rendered = new LinkedHashMap<>();
    Budget budget = new Budget(MAX_SECRET_BYTES);
    try {
      for (Map.Entry<String, Mustache> e : compiled.entrySet()) {
        BudgetWriter out = new BudgetWriter(budget);
        e.getValue().execute(out, scope);
        rendered.put(e.getKey(), out.toString());
      }
    } catch (MustacheException | OverBudget e) {
      if (e instanceof OverBudget || e.getCause() instanceof OverBudget) {
        throw new SecretTooLargeException("The Secret rendered from spec.secret.template.data would be over the "
            + MAX_SECRET_BYTES + " bytes a Secret may hold, so rendering stopped and nothing was written: shorten "
            + "the templates or use fewer data keys");
      }
      throw e;
    }
    return rendered;
  }

  /** The longest the variables named in {@code codes} may make a rendering, each counted once per place. */
  private static long longestValues(Code[] codes) {
    long total = 0;
    if (codes != null) {
      for (Code code : codes) {
        if (code instanceof ValueCode) {
          total += MAX_LENGTHS.getOrDefault(code.getName(), 0);
        }
        total += longestValues(code.getCodes());
      }
    }
    return total;
  }

  /** What is left of the bytes one Secret may hold, shared by the rendering of all its data keys. */
  private static final class Budget {
    private long left;

    Budget(long bytes) {
      left = bytes;
    }
  }

  /** Thrown by {@link BudgetWriter} the moment the rendering passes its budget. */
  private static final class OverBudget extends RuntimeException {
    OverBudget() {
      super("over budget", null, false, false);
    }
  }

  /** A StringWriter that refuses to grow past its budget, so no template can make the operator allocate more. */
  private static final class BudgetWriter extends StringWriter {
    private final Budget budget;

    BudgetWriter(Budget budget) {
      this.budget = budget;
    }

    @Override
    public void write(String str) {
      spend(str);
      super.write(str);
    }

    @Override
    public StringWriter append(CharSequence csq) {
      write(String.valueOf(csq));
      return this;
    }

    @Override
    public StringWriter append(CharSequence csq, int start, int end) {
      write(String.valueOf(csq == null ? "null" : csq).substring(start, end));
      return this;
    }

    @Override
    public void write(String str, int off, int len) {
      spend(str.substring(off, off + len));
      super.write(str, off, len);
    }

    @Override
    public void write(char[] cbuf, int off, int len) {
      spend(new String(cbuf, off, len));
      super.write(cbuf, off, len);
    }

    @Override
    public void write(int c) {
      spend(String.valueOf((char) c));
      super.write(c);
    }

    private void spend(String s) {
      budget.left -= s.getBytes(StandardCharsets.UTF_8).length;
      if (budget.left < 0) {
        throw new OverBudget();
      }
    }
  }

  private static Mustache compile(String name, String template) {
    return new RawMustacheFactory().compile(new StringReader(template), name);
  }

  /**
   * Whether the codes include no partial and no inheritance (text, comments, variables, sections); the names of
   * variables and sections that are not {@link #VARIABLES} are added to {@code unknown}.
   */
  private static boolean onlyKnownVariables(Code[] codes, List<String> unknown) {
    if (codes == null) {
      return true;
    }
    for (Code code : codes) {
      if (code instanceof ValueCode || code instanceof IterableCode) { // IterableCode: sections, inverted too
        if (!VARIABLES.contains(code.getName()) && !unknown.contains(code.getName())) {
          unknown.add(code.getName());
        }
      } else if (code instanceof PartialCode || code instanceof DynamicPartialCode || code instanceof ExtendNameCode
          || code instanceof ExtendCheckNameCode) { // PartialCode covers template inheritance too
        return false;
      }
      if (!onlyKnownVariables(code.getCodes(), unknown)) {
        return false;
      }
    }
    return true;
  }

  private static String shortened(String message) {
    String m = message == null ? "parse error" : message;
    return m.length() > 200 ? m.substring(0, 200) + "..." : m;
  }

  /** Writes values as they are (Mustache escapes HTML by default), and resolves no partial. */
  private static final class RawMustacheFactory extends DefaultMustacheFactory {
    RawMustacheFactory() {
      super(name -> null);
    }

    @Override
    public void encode(String value, Writer writer) {
      try {
        writer.write(value);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
