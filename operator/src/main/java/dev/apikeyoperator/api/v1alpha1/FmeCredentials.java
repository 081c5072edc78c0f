package dev.apikeyoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;

/** The admin credential an FME provider calls the Admin API with. */
public class FmeCredentials {
  @Required
  @JsonPropertyDescription("Secret that holds the admin credential (an admin API key with API_ALL_GRANTED or "
      + "API_APIKEY, or a Harness token).")
  public CredentialsSecretRef secretRef;

  @Default("Bearer")
  @JsonPropertyDescription("Bearer (default): Authorization: Bearer <token>. XApiKey: x-api-key: <token> (Harness "
      + "personal access and service-account tokens).")
  public AuthScheme scheme = AuthScheme.Bearer;
}
