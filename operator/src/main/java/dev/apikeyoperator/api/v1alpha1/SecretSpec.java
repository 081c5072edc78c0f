package dev.apikeyoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import java.util.LinkedHashMap;
import java.util.Map;
import io.fabric8.generator.annotation.Size;

/** The Secret the operator writes the key into. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class SecretSpec {
  public static final String DEFAULT_KEY = "apiKey";

  @JsonPropertyDescription("Name of the Secret, in the ApiKey's namespace. Default: the ApiKey's name.")
  @Size(max = 253)
  public String name;

  @Default(DEFAULT_KEY)
  @JsonPropertyDescription("Data key that holds the key value. Default: apiKey.")
  @Size(max = 253)
  public String key;

  @JsonPropertyDescription("Extra labels on the Secret. Changing them never mints a key.")
  @Size(max = 64)
  public Map<String, @Size(max = 63) String> labels = new LinkedHashMap<>();

  @JsonPropertyDescription("Extra annotations on the Secret. Changing them never mints a key.")
  @Size(max = 64)
  public Map<String, @Size(max = 2048) String> annotations = new LinkedHashMap<>();

  @JsonPropertyDescription("Optional: more data keys rendered from the key with logic-less (Mustache) templates, "
      + "e.g. SPLIT_SDK_KEY: \"{{key}}\". Changing a template rewrites the Secret; it never mints a key.")
  public SecretTemplate template;

  /** The templates, data key -> template; empty when none are given. */
  public Map<String, String> templates() {
    return template == null || template.data == null ? Map.of() : template.data;
  }
}
