package dev.apikeyoperator.account;

import dev.apikeyoperator.customresource.ApiKey;
import dev.apikeyoperator.customresource.FmeKeySpec;
import dev.apikeyoperator.customresource.NameOrId;
import dev.apikeyoperator.ledger.LedgerKey;
import dev.apikeyoperator.policy.KeyPolicy;
import dev.apikeyoperator.provider.Provider;
import dev.apikeyoperator.issuer.NameNotFoundException;
import dev.apikeyoperator.issuer.fme.FmeClient;
import dev.apikeyoperator.issuer.fme.FmeCreatedKey;
import dev.apikeyoperator.issuer.fme.FmeDirectory;
import dev.apikeyoperator.issuer.fme.FmeEnvironment;
import dev.apikeyoperator.issuer.fme.FmeKeyRequest;
import dev.apikeyoperator.issuer.fme.FmeWorkspace;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A Harness FME account: names resolved through the cached directory; no list, no read, no rotate. */
public final class FmeAccount implements VendorAccount {
  private final FmeClient client;
  private final FmeDirectory directory;
  private final Provider provider;

  public FmeAccount(FmeClient client, FmeDirectory directory, Provider provider) {
    this.client = client;
    this.directory = directory;
    this.provider = provider;
  }

  /** The request as resolved: workspace and environment ids. */
  private record Resolved(String type, String workspaceId, List<String> environmentIds, List<String> roles) {}

  @Override
  public KeyPlan plan(ApiKey apiKey) throws PlanException {
    FmeKeySpec fme = apiKey.getSpec().fme;
    FmeWorkspace workspace = null;
    List<FmeEnvironment> environments = new ArrayList<>();
    try {
      if (fme.project != null) {
        workspace = directory.resolveProject(client, fme.project.id, fme.project.name);
      }
      for (NameOrId env : fme.environments == null ? List.<NameOrId>of() : fme.environments) {
        environments.add(directory.resolveEnvironment(client, workspace, env.id, env.name));
      }
    } catch (NameNotFoundException e) {
      String message = e.getMessage().endsWith(".") ? e.getMessage().substring(0, e.getMessage().length() - 1)
          : e.getMessage();
      throw new PlanException("environment".equals(e.kind()) ? "EnvironmentNotFound" : "ProjectNotFound", message
          + ". Fix spec.fme or create it at the vendor");
    }
    Optional<String> outOfScope = KeyPolicy.checkScope(provider, workspace, environments);
    if (outOfScope.isPresent()) {
      throw new PlanException("PolicyDenied", outOfScope.get());
    }
    List<String> environmentIds = environments.stream().map(FmeEnvironment::id).toList();
    String workspaceId = workspace == null ? null : workspace.id();
    List<String> roles = fme.roles == null ? List.of() : fme.roles.stream().map(Enum::name).toList();
    return new KeyPlan(Identity.resolved(fme, workspaceId, environmentIds),
        new Resolved(fme.type.wire(), workspaceId, environmentIds, roles));
  }

  @Override
  public MintedKey create(KeyPlan plan, String keyName) {
    Resolved r = (Resolved) plan.request();
    FmeCreatedKey created = client.create(new FmeKeyRequest(keyName, r.type(), r.workspaceId(), r.environmentIds(),
        r.roles()));
    return new MintedKey(created.id(), created.value(), created.createdAt());
  }

  @Override
  public void revoke(LedgerKey key) {
    client.revoke(key.revocationHandle());
  }

  @Override
  public void checkCredentials() {
    client.checkCredentials();
  }
}
