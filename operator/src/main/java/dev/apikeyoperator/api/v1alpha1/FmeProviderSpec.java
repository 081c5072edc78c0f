package dev.apikeyoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A Harness FME (Split) account. */
public class FmeProviderSpec {
  public static final String DEFAULT_BASE_URL = "https://api.split.io/internal/api/v2";

  @Default(DEFAULT_BASE_URL)
  @JsonPropertyDescription("Admin API base URL. Default https://api.split.io/internal/api/v2; Harness accounts may "
      + "use https://app.harness.io/fme/internal/api/v2. http:// is refused unless the host is a loopback address "
      + "or allowInsecureHttp is true.")
  @Size(max = 2048)
  public String baseUrl = DEFAULT_BASE_URL;

  @Required
  @JsonPropertyDescription("The admin credential.")
  public FmeCredentials credentials;

  @JsonPropertyDescription("true: the account has moved to Harness and cannot create admin keys (they are refused "
      + "with PolicyDenied).")
  public boolean harnessMigrated;

  public String baseUrlOrDefault() {
    return baseUrl == null || baseUrl.isBlank() ? DEFAULT_BASE_URL : baseUrl;
  }
}
