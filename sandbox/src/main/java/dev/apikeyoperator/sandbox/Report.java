package dev.apikeyoperator.sandbox;

import static dev.apikeyoperator.sandbox.Doc.asMap;
import static dev.apikeyoperator.sandbox.Doc.list;
import static dev.apikeyoperator.sandbox.Doc.map;
import static dev.apikeyoperator.sandbox.Doc.str;
import static dev.apikeyoperator.sandbox.SandboxWorld.dataKey;
import static dev.apikeyoperator.sandbox.SandboxWorld.ready;
import static dev.apikeyoperator.sandbox.SandboxWorld.secretName;
import static dev.apikeyoperator.sandbox.SandboxWorld.secretValue;
import static dev.apikeyoperator.sandbox.SandboxWorld.typeOf;
import static dev.apikeyoperator.sandbox.SandboxWorld.vendorOf;

import dev.apikeyoperator.api.v1alpha1.ApiKey;
import dev.apikeyoperator.api.v1alpha1.StatusCondition;
import dev.apikeyoperator.secretvalue.KeyValue;
import dev.apikeyoperator.secret.ManagedSecrets;
import dev.apikeyoperator.simulator.SimKey;
import dev.apikeyoperator.simulator.StatsigSimKey;
import dev.apikeyoperator.simulator.UnleashSimToken;
import dev.apikeyoperator.status.Conditions;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Waits for the examples to come up, then shows and checks what the operator made: each ApiKey's key and Secret
 * against the simulators, the labels, the fingerprints, no duplicate and no leaked key value, and the workloads'
 * Secret references.
 */
final class Report {
  private final SandboxWorld world;
  private final Checklist log;

  Report(SandboxWorld world, Checklist log) {
    this.world = world;
    this.log = log;
  }

  /** Prints every provider's and ApiKey's Ready reason each second until all are ready or the timeout passed. */
  void awaitReady(List<Doc> apiKeys, List<Doc> providers, int timeoutSeconds) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
    int second = 0;
    while (true) {
      List<String> states = new ArrayList<>();
      boolean done = true;
      for (Doc p : providers) {
        Optional<StatusCondition> c = world.providerReady(p);
        done &= c.map(x -> "True".equals(x.getStatus())).orElse(false);
        states.add(p.name() + " " + c.map(StatusCondition::getReason).orElse("-"));
      }
      for (Doc k : apiKeys) {
        Optional<StatusCondition> c = ready(world.apiKey(k));
        done &= c.map(x -> "KeyReady".equals(x.getReason())).orElse(false);
        states.add(k.name() + " " + c.map(StatusCondition::getReason).orElse("-"));
      }
      log.line(String.format("%3d s  %s", second, String.join(", ", states)));
      if (done || System.nanoTime() > deadline) {
        return;
      }
      Thread.sleep(1000);
      second++;
    }
  }

  /** Every provider is Ready, and every ApiKey is Ready with reason KeyReady. */
  void checkReady(List<Doc> apiKeys, List<Doc> providers, int timeoutSeconds) {
    for (Doc p : providers) {
      Optional<StatusCondition> c = world.providerReady(p);
      log.check(c.map(x -> "True".equals(x.getStatus())).orElse(false), p.describe() + " is Ready ("
          + c.map(StatusCondition::getReason).orElse("-") + ")", c.map(x -> x.getReason() + ": " + x.getMessage())
          .orElse("no Ready condition"));
    }
    for (Doc k : apiKeys) {
      ApiKey live = world.apiKey(k);
      Optional<StatusCondition> c = ready(live);
      log.check(c.map(x -> "KeyReady".equals(x.getReason())).orElse(false),
          "ApiKey " + k.ref() + " is Ready (KeyReady)",
          live == null ? "the ApiKey is gone" : c.map(x -> "Ready=" + x.getStatus() + ", reason "
              + x.getReason() + ": " + x.getMessage()).orElse("no Ready condition after " + timeoutSeconds + " s"));
    }
  }

  /** Shows the keys and checks them; fills {@code values} (ApiKey ref -> key value; never printed). */
  void report(List<Doc> apiKeys, Map<String, String> values) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"APIKEY", "VENDOR", "TYPE", "READY", "SYNCED", "REASON", "SECRET", "FINGERPRINT",
        "VENDOR KEY NAME"});
    for (Doc k : apiKeys) {
      ApiKey live = world.apiKey(k);
      if (live == null) {
        continue;
      }
      var status = live.getStatus();
      rows.add(new String[] {k.ref(), vendorOf(live), typeOf(live), condition(live, Conditions.READY)
          .map(StatusCondition::getStatus).orElse("-"), condition(live, Conditions.SYNCED)
          .map(StatusCondition::getStatus).orElse("-"), condition(live, Conditions.SYNCED)
          .map(StatusCondition::getReason).orElse("-"), status == null || status.secretName == null ? "-" : status.secretName,
          status == null || status.key == null ? "-" : status.key.fingerprint,
          status == null || status.key == null ? "-" : status.key.name});
    }
    log.table(rows);

    log.blank();
    log.line("Active keys at the FME simulator (values never shown):");
    List<String[]> sim = new ArrayList<>();
    sim.add(new String[] {"NAME", "TYPE", "ID", "ROLES"});
    for (SimKey s : world.fme.activeKeys()) {
      sim.add(new String[] {s.name(), s.type(), s.id(), s.roles().isEmpty() ? "-" : String.join(",", s.roles())});
    }
    log.table(sim);
    log.blank();
    // A Statsig key's id is its value: only the description (which ends with the operator's key name) is shown.
    log.line("Active keys at the Statsig simulator (values never shown; a Statsig key's id is its value):");
    List<String[]> ssim = new ArrayList<>();
    ssim.add(new String[] {"DESCRIPTION", "TYPE", "ENVIRONMENTS", "TARGET APP"});
    for (StatsigSimKey s : world.statsig.activeKeys()) {
      ssim.add(new String[] {s.description(), s.type(), s.environments().isEmpty() ? "-"
          : String.join(",", s.environments()), s.targetApp() == null ? "-" : s.targetApp()});
    }
    log.table(ssim);
    log.blank();
    log.line("Keys and tokens at the LaunchDarkly simulator (values never shown; shared environment keys are not "
        + "listed: the operator never creates them):");
    List<String[]> lsim = new ArrayList<>();
    lsim.add(new String[] {"KIND", "KEY OR ID", "NAME OR EXPIRY"});
    world.launchDarkly.sdkKeys().forEach(s -> lsim.add(new String[] {s.get(1), s.get(0),
        s.get(2).isEmpty() ? "-" : "expires " + s.get(2)}));
    world.launchDarkly.tokens().forEach(t -> lsim.add(new String[] {"token", t.get(0), t.get(1)}));
    log.table(lsim);
    log.blank();

    log.line("Tokens at the Unleash simulator (secrets never shown; a token's secret is its handle):");
    List<String[]> usim = new ArrayList<>();
    usim.add(new String[] {"TOKEN NAME", "TYPE", "ENVIRONMENT", "PROJECTS", "EXPIRES"});
    for (UnleashSimToken t : unleashTokens()) {
      usim.add(new String[] {t.tokenName(), t.type(), t.environment(), String.join(",", t.projects()),
          t.expiresAt() == null ? "-" : t.expiresAt().toString()});
    }
    log.table(usim);
    log.blank();

    List<SimKey> fmeActive = world.fme.activeKeys();
    List<StatsigSimKey> statsigActive = world.statsig.activeKeys();
    Map<String, Long> withKey = new LinkedHashMap<>(Map.of("fme", 0L, "statsig", 0L, "unleash", 0L));
    for (Doc k : apiKeys) {
      ApiKey live = world.apiKey(k);
      if (live == null || live.getStatus() == null || live.getStatus().key == null) {
        log.fail("ApiKey " + k.ref() + " has a key and a Secret", "status.key is empty");
        continue;
      }
      var status = live.getStatus();
      String vendor = vendorOf(live);
      withKey.merge(vendor, 1L, Long::sum);
      String expectedSecret = secretName(live, k);
      String dataKey = dataKey(live);
      log.check(expectedSecret.equals(status.secretName), "ApiKey " + k.ref() + ": status.secretName is "
          + expectedSecret, "it is " + status.secretName);
      Secret secret = world.client.secrets().inNamespace(k.namespace()).withName(expectedSecret).get();
      String value = secretValue(secret, dataKey);
      if (value == null) {
        log.fail("Secret " + k.namespace() + "/" + expectedSecret + " holds data key " + dataKey,
            secret == null ? "no such Secret" : "data keys: " + (secret.getData() == null ? "none"
                : secret.getData().keySet()));
        continue;
      }
      values.put(k.ref(), value);
      if (vendor.equals("launchDarkly")) {
        boolean token = live.getSpec().launchDarkly.type == dev.apikeyoperator.api.v1alpha1.LaunchDarklyKeyType
            .ACCESS_TOKEN;
        boolean works = token ? world.launchDarkly.tokenWorks(value) : world.launchDarkly.sdkCredentialWorks(value);
        log.check(works, "Secret " + k.namespace() + "/" + expectedSecret + " (" + dataKey + ") holds a "
            + typeOf(live) + " credential that works at the LaunchDarkly simulator", "the simulator refuses it");
      } else if (vendor.equals("unleash")) {
        List<UnleashSimToken> matches = unleashTokens().stream().filter(t -> t.secret().equals(value)).toList();
        log.check(matches.size() == 1 && world.unleash.works(value), "Secret " + k.namespace() + "/"
            + expectedSecret + " (" + dataKey + ") holds exactly one working Unleash simulator token",
            matches.size() + " tokens match its value");
        if (matches.size() == 1) {
          UnleashSimToken m = matches.get(0);
          log.check(m.tokenName().equals(status.key.name), "ApiKey " + k.ref() + ": that token is named "
              + status.key.name, "the simulator has " + m.tokenName());
        }
      } else if (vendor.equals("statsig")) {
        List<StatsigSimKey> matches = statsigActive.stream().filter(s -> s.key().equals(value)).toList();
        log.check(matches.size() == 1, "Secret " + k.namespace() + "/" + expectedSecret + " (" + dataKey
            + ") holds exactly one active Statsig simulator key", matches.size() + " active keys match its value");
        if (matches.size() == 1) {
          StatsigSimKey m = matches.get(0);
          String marker = "(" + status.key.name + ")";
          log.check(m.description().endsWith(marker) && m.type().equals(typeOf(live)),
              "ApiKey " + k.ref() + ": that key's description ends with " + marker + " and its type is " + m.type(),
              "the simulator has '" + m.description() + "' (" + m.type() + "), status says " + status.key.name);
        }
      } else {
        List<SimKey> matches = fmeActive.stream().filter(s -> s.key().equals(value)).toList();
        log.check(matches.size() == 1, "Secret " + k.namespace() + "/" + expectedSecret + " (" + dataKey
            + ") holds exactly one active FME simulator key", matches.size() + " active keys match its value");
        if (matches.size() == 1) {
          SimKey m = matches.get(0);
          log.check(m.name().equals(status.key.name) && m.type().equals(typeOf(live)),
              "ApiKey " + k.ref() + ": status.key.name and type match that key (" + m.name() + ", " + m.type()
                  + ")", "the simulator has " + m.name() + " (" + m.type() + "), status says " + status.key.name);
        }
      }
      log.check(KeyValue.fingerprintOf(value).equals(status.key.fingerprint), "ApiKey " + k.ref()
          + ": status.key.fingerprint is sha256 of the Secret's value", "status has " + status.key.fingerprint);
      Map<String, String> labels = secret.getMetadata().getLabels() == null ? Map.of()
          : secret.getMetadata().getLabels();
      Map<String, String> wanted = new LinkedHashMap<>();
      wanted.put(ManagedSecrets.MANAGED_BY_LABEL, ManagedSecrets.MANAGED_BY_VALUE);
      wanted.put(ManagedSecrets.APIKEY_LABEL, k.name());
      if (live.getSpec().secret != null && live.getSpec().secret.labels != null) {
        wanted.putAll(live.getSpec().secret.labels);
      }
      log.check(labels.entrySet().containsAll(wanted.entrySet()), "Secret " + k.namespace() + "/" + expectedSecret
          + " carries the labels " + wanted, "it has " + labels);
      Map<String, String> templates = live.getSpec().secret == null ? Map.of() : live.getSpec().secret.templates();
      templates.forEach((templateKey, template) -> {
        String rendered = secretValue(secret, templateKey);
        log.check(rendered != null && (!template.equals("{{key}}") || rendered.equals(value)), "Secret "
            + k.namespace() + "/" + expectedSecret + " holds template data key " + templateKey
            + (template.equals("{{key}}") ? " (the raw key)" : ""), rendered == null ? "no such data key"
            : "it holds something else than the key");
      });
      log.check(condition(live, Conditions.SYNCED).map(c -> "True".equals(c.getStatus())
          && live.getMetadata().getGeneration().equals(c.observedGeneration)).orElse(false),
          "ApiKey " + k.ref() + " is Synced at generation " + live.getMetadata().getGeneration(),
          condition(live, Conditions.SYNCED).map(c -> "Synced=" + c.getStatus() + " at generation "
              + c.observedGeneration + ", reason " + c.getReason()).orElse("no Synced condition"));
    }
    log.check(fmeActive.size() == withKey.get("fme"), "one active key per FME ApiKey at the FME simulator "
        + "(no duplicates)", fmeActive.size() + " active keys for " + withKey.get("fme") + " ApiKeys that have a key");
    log.check(statsigActive.size() == withKey.get("statsig"), "one active key per Statsig ApiKey at the Statsig "
        + "simulator (no duplicates)", statsigActive.size() + " active keys for " + withKey.get("statsig")
        + " ApiKeys that have a key");
    log.check(withKey.get("statsig") > 0, "the examples have at least one Statsig ApiKey with a key", "none found");
    long ldOwn = apiKeys.stream().map(world::apiKey).filter(x -> x != null && x.getSpec().launchDarkly != null
        && x.getSpec().launchDarkly.type != null && !x.getSpec().launchDarkly.type.shared()).count();
    int ldMinted = world.launchDarkly.sdkKeys().size() + world.launchDarkly.tokens().size();
    log.check(ldMinted == ldOwn, "one SDK key or token per LaunchDarkly ApiKey of its own at the LaunchDarkly "
        + "simulator (no duplicates; shared environment keys are never created)", ldMinted + " for " + ldOwn
        + " ApiKeys");
    log.check(withKey.getOrDefault("launchDarkly", 0L) > 0, "the examples have at least one LaunchDarkly ApiKey "
        + "with a key", "none found");
    log.check(unleashTokens().size() == withKey.get("unleash"), "one token per Unleash ApiKey at the Unleash "
        + "simulator (no duplicates)", unleashTokens().size() + " tokens for " + withKey.get("unleash")
        + " ApiKeys that have a key");
    log.check(withKey.get("unleash") > 0, "the examples have at least one Unleash ApiKey with a token", "none found");

    // Guarantee 3: no key value in any status or event.
    log.check(!leaked(values.values()), "no key value appears in any ApiKey status or Event", "a key value was found");
  }

  /** The Unleash simulator's tokens but its own admin token (the sandbox's credential). */
  private List<UnleashSimToken> unleashTokens() {
    return world.unleash.tokens().stream().filter(t -> !t.type().equals("admin")).toList();
  }

  private static Optional<StatusCondition> condition(ApiKey live, String type) {
    return live == null || live.getStatus() == null ? Optional.empty()
        : Conditions.find(live.getStatus().conditions, type);
  }

  /** True when any key value either simulator ever issued appears in an ApiKey status or an Event message. */
  private boolean leaked(java.util.Collection<String> seenInSecrets) {
    KubernetesClient client = world.client;
    List<String> places = new ArrayList<>();
    client.resources(ApiKey.class).inAnyNamespace().list().getItems()
        .forEach(x -> places.add(client.getKubernetesSerialization().asJson(x.getStatus())));
    client.v1().events().inAnyNamespace().list().getItems().forEach(e -> places.add(e.getMessage()));
    return Stream.concat(Stream.concat(world.fme.keys().stream().map(SimKey::key),
            world.statsig.keys().stream().map(StatsigSimKey::key)), Stream.concat(seenInSecrets.stream(),
            world.unleash.tokens().stream().map(UnleashSimToken::secret)))
        .anyMatch(v -> places.stream().anyMatch(p -> p != null && p.contains(v)));
  }

  /** The workloads are not run, but their secretKeyRefs must name Secrets and data keys the operator wrote. */
  void checkDeployments(List<Doc> applied) {
    for (Doc d : applied) {
      if (!d.isWorkload()) {
        continue;
      }
      Map<String, Object> podSpec = d.podSpec();
      for (Object c : list(podSpec, "containers")) {
        for (Object e : list(asMap(c), "env")) {
          Map<String, Object> ref = map(map(asMap(e), "valueFrom"), "secretKeyRef");
          if (ref.isEmpty()) {
            continue;
          }
          String ns = d.namespace() == null ? "default" : d.namespace();
          Secret s = world.client.secrets().inNamespace(ns).withName(str(ref, "name")).get();
          log.check(s != null && s.getData() != null && s.getData().containsKey(str(ref, "key")),
              d.describe() + ": env " + str(asMap(e), "name") + " <- Secret " + ns + "/" + str(ref, "name")
                  + " key " + str(ref, "key") + " exists",
              s == null ? "no such Secret" : "data keys: " + (s.getData() == null ? "none" : s.getData().keySet()));
        }
      }
    }
  }
}
