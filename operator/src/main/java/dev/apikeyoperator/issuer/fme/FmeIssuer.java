package dev.apikeyoperator.issuer.fme;

import dev.apikeyoperator.customresource.ApiKeySpec;
import dev.apikeyoperator.customresource.FmeKeySpec;
import dev.apikeyoperator.customresource.NameOrId;
import dev.apikeyoperator.issuer.Issuer;
import dev.apikeyoperator.issuer.KeyPlan;
import dev.apikeyoperator.issuer.MintedKey;
import dev.apikeyoperator.issuer.NameNotFoundException;
import dev.apikeyoperator.issuer.PlanException;
import dev.apikeyoperator.ledger.LedgerKey;
import dev.apikeyoperator.provider.Provider;
import dev.apikeyoperator.status.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A Harness FME account: names resolved through the cached directory; no list, no read, no rotate. */
public final class FmeIssuer implements Issuer<FmeIssuer.Resolved> {
  private final FmeClient client;
  private final FmeDirectory directory;
  private final Provider provider;

  public FmeIssuer(FmeClient client, FmeDirectory directory, Provider provider) {
    this.client = client;
    this.directory = directory;
    this.provider = provider;
  }

  /** The request as resolved: workspace and environment ids. */
  public record Resolved(String type, String workspaceId, List<String> environmentIds, List<String> roles) {}

  @Override
  public KeyPlan<Resolved> plan(ApiKeySpec spec) throws PlanException {
    FmeKeySpec fme = spec.fme;
    FmeWorkspace workspace = null;
    List<FmeEnvironment> environments = new ArrayList<>();
    try {
      if (fme.project != null) {
        workspace = directory.resolveProject(client, fme.project.id, fme.project.name);
      }
      Optional<String> forbiddenProject = FmePolicy.checkProject(provider, workspace);
      if (forbiddenProject.isPresent()) {
        throw new PlanException(Reason.PolicyDenied, forbiddenProject.get()); // its environments are not listed
      }
      for (NameOrId env : fme.environments == null ? List.<NameOrId>of() : fme.environments) {
        environments.add(directory.resolveEnvironment(client, workspace, env.id, env.name));
      }
    } catch (NameNotFoundException e) {
      String message = e.getMessage().endsWith(".") ? e.getMessage().substring(0, e.getMessage().length() - 1)
          : e.getMessage();
      throw new PlanException("environment".equals(e.kind()) ? Reason.EnvironmentNotFound : Reason.ProjectNotFound,
          message + ". Fix spec.fme or create it at the vendor");
    }
    Optional<String> outOfScope = FmePolicy.checkScope(provider, workspace, environments);
    if (outOfScope.isPresent()) {
      throw new PlanException(Reason.PolicyDenied, outOfScope.get());
    }
    return plan(fme, workspace, environments);
  }

  /** The plan for resolved names: what is created, and the identity it is recorded under. */
  static KeyPlan<Resolved> plan(FmeKeySpec fme, FmeWorkspace workspace, List<FmeEnvironment> environments) {
    List<String> environmentIds = environments.stream().map(FmeEnvironment::id).toList();
    String workspaceId = workspace == null ? null : workspace.id();
    List<String> roles = fme.roles == null ? List.of() : fme.roles.stream().map(Enum::name).toList();
    return new KeyPlan<>(FmeIdentity.resolved(fme, workspaceId, environmentIds),
        new Resolved(fme.type.wire(), workspaceId, environmentIds, roles));
  }

  /** The vendor request that creates the planned key under {@code keyName}. */
  static FmeKeyRequest request(KeyPlan<Resolved> plan, String keyName) {
    Resolved r = plan.request();
    return new FmeKeyRequest(keyName, r.type(), r.workspaceId(), r.environmentIds(), r.roles());
  }

  @Override
  public MintedKey create(KeyPlan<Resolved> plan, String keyName) {
    FmeCreatedKey created = client.create(request(plan, keyName));
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
