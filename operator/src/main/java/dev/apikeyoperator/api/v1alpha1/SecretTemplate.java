package dev.apikeyoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.LinkedHashMap;
import java.util.Map;

/** More data keys of the managed Secret, rendered from the key (docs/guides/secret-templates.md). */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class SecretTemplate {
  public static final int MAX_DATA_KEYS = 16;
  public static final int MAX_TEMPLATE_LENGTH = 8192;

  @Size(max = MAX_DATA_KEYS)
  @JsonPropertyDescription("Data key -> logic-less Mustache template, rendered whenever the key changes and "
      + "written with the key into the Secret. Variables: key (the key value), keyName, keyId, fingerprint, vendor "
      + "(fme, statsig or unleash), serverUrl (Unleash: the provider's baseUrl); values are written as they are (no HTML escaping). Data keys are letters, digits, '-', "
      + "'_' and '.', and must differ from secret.key. A template that does not parse, names another variable, "
      + "or would make the Secret larger than 1 MiB is refused (InvalidSpec) before any key is created.")
  public Map<String, @Size(max = MAX_TEMPLATE_LENGTH) String> data = new LinkedHashMap<>();
}
