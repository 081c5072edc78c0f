package dev.apikeyoperator.issuer.fme;

import dev.apikeyoperator.api.v1alpha1.ApiKeySpec;
import dev.apikeyoperator.api.v1alpha1.FmeKeySpec;
import dev.apikeyoperator.api.v1alpha1.NameOrId;
import dev.apikeyoperator.issuer.Issuer;
import dev.apikeyoperator.issuer.KeyPlan;
import dev.apikeyoperator.issuer.MintedKey;
import dev.apikeyoperator.issuer.NameNotFoundException;
import dev.apikeyoperator.issuer.PlanException;
import dev.apikeyoperator.transport.VendorErrorException;
import dev.apikeyoperator.transport.VendorUnauthorizedException;
import dev.apikeyoperator.ledger.LedgerKey;
import dev.apikeyoperator.issuer.Provider;
import dev.apikeyoperator.status.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A Harness FME account: names resolved through the cached directory; no list, no read, no rotate. */
public final class FmeIssuer implements Issuer<FmeIssuer.Resolved> {
  private final FmeClient client;
  private final FmeDirectory directory;
  private final Provider provider;
  private final FmeCredentialReach reach;

  public FmeIssuer(FmeClient client, FmeDirectory directory, Provider provider) {
    this(client, directory, provider, new FmeCredentialReach());
  }

  FmeIssuer(FmeClient client, FmeDirectory directory, Provider provider, FmeCredentialReach reach) {
    this.client = client;
    this.directory = directory;
    this.provider = provider;
    this.reach = reach;
  }

  /** What a credential without a read role can and cannot do, for the provider's and the ApiKey's messages. */
  static final String IDS_ONLY = "the credential may create and delete keys but not list projects and environments"
      + " (that needs API_ALL_GRANTED, API_ADMIN or API_WORKSPACE_ADMIN; API_APIKEY alone is not enough),"
      + " so names cannot be looked up: give spec.fme.project and spec.fme.environments as {id: ...}, which work";

  /** The request as resolved: workspace and environment ids. */
  public record Resolved(String type, String workspaceId, List<String> environmentIds, List<String> roles) {}

  @Override
  public KeyPlan<Resolved> plan(ApiKeySpec spec) throws PlanException {
    FmeKeySpec fme = spec.fme;
    FmeWorkspace workspace = null;
    List<FmeEnvironment> environments = new ArrayList<>();
    List<NameOrId> envs = fme.environments == null ? List.of() : fme.environments;
    try {
      if (fme.project != null) {
        workspace = canList(fme.project, "project") ? directory.resolveProject(client, fme.project.id, fme.project.name)
            : new FmeWorkspace(fme.project.id, fme.project.id);
      }
      Optional<String> forbiddenProject = FmePolicy.checkProject(provider, workspace);
      if (forbiddenProject.isPresent()) {
        throw new PlanException(Reason.PolicyDenied, forbiddenProject.get()); // its environments are not listed
      }
      for (NameOrId env : envs) {
        environments.add(canList(env, "environment") ? directory.resolveEnvironment(client, workspace, env.id, env.name)
            : new FmeEnvironment(env.id, env.id));
      }
    } catch (VendorUnauthorizedException e) {
      if (!client.probeAuthenticated()) {
        throw e; // a bad credential: VendorUnauthorized
      }
      reach.listsNames(false);
      return plan(spec); // ids go on without a lookup; a name is reported below
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

  /**
   * Whether {@code ref} is looked up. An id is checked against the listing when the credential may list; when it
   * may not, the id goes to the vendor as given (a wrong one fails the create with 404). A name needs the listing.
   *
   * @throws PlanException a name, with a credential known not to list
   */
  private boolean canList(NameOrId ref, String kind) throws PlanException {
    if (!Boolean.FALSE.equals(reach.listsNames())) {
      return true;
    }
    if (ref.id != null) {
      return false;
    }
    boolean project = "project".equals(kind);
    throw new PlanException(project ? Reason.ProjectNotFound : Reason.EnvironmentNotFound, "FME " + kind + " \""
        + ref.name + "\" cannot be looked up with the credentials of " + provider.displayName() + ": " + IDS_ONLY);
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
    FmeCreatedKey created;
    try {
      created = client.create(request(plan, keyName));
    } catch (VendorErrorException e) {
      if (e.status() == 404 && Boolean.FALSE.equals(reach.listsNames())) {
        // the ids were not checked against a listing: the vendor's 404 names the culprit
        Resolved r = plan.request();
        String kind = r.environmentIds().isEmpty() ? "project" : "environment";
        throw new NameNotFoundException(kind, r.workspaceId(), "FME refused project id " + r.workspaceId() + (r.environmentIds().isEmpty() ? ""
                : " with environment ids " + String.join(", ", r.environmentIds())) + " (HTTP 404): one of them does"
                + " not exist or is out of the credential's reach. Fix spec.fme; " + IDS_ONLY);
      }
      throw e;
    }
    return new MintedKey(created.id(), created.value(), created.createdAt());
  }

  /**
   * A 2xx proves the key revoked. A 404 means "does not exist or no access" (docs/integrations/vendor-apis.md): it counts as
   * revoked only once this credential is known to be able to delete (it has had a 2xx on a DELETE, which only a
   * GLOBAL-scope caller gets); else the key may still be live, and the revocation fails with what to do.
   */
  @Override
  public void revoke(LedgerKey key) {
    if (client.revoke(key.revocationHandle())) {
      reach.deleted();
      return;
    }
    if (!reach.knownToDelete()) {
      throw new VendorErrorException("FME " + FmeClient.OP_REVOKE + " answered HTTP 404, which means the key does not"
          + " exist or the credential of " + provider.displayName() + " may not delete it (only a GLOBAL-scope"
          + " credential with API_ALL_GRANTED or API_APIKEY may delete keys). Until a delete by this credential has"
          + " succeeded, a 404 does not prove the key revoked, so the key is kept and tried again: use a GLOBAL-scope"
          + " admin credential, or check in the FME UI (Admin settings, API keys) that the key is gone and set"
          + " deletionPolicy: Orphan", 404, false);
    }
  }

  @Override
  public Optional<String> checkCredentials() {
    boolean lists = client.checkCredentials();
    reach.listsNames(lists);
    return lists ? Optional.empty() : Optional.of(IDS_ONLY);
  }
}
