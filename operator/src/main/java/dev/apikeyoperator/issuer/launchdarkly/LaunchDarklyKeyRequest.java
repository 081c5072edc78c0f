package dev.apikeyoperator.issuer.launchdarkly;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apikeyoperator.api.v1alpha1.LaunchDarklyKeyType;

/**
 * A planned LaunchDarkly credential: its type and place (project and environment keys, checked to exist), the
 * environment's client-side id, the description, and for access tokens the create body without its name.
 */
record LaunchDarklyKeyRequest(LaunchDarklyKeyType type, String project, String environment, String clientSideId,
    String description, ObjectNode tokenBody) {}
