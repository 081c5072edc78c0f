package dev.apikeyoperator.api.v1alpha1;

/** Roles an FME admin key can carry (combinable). */
public enum FmeRole {
  API_ALL_GRANTED,
  API_APIKEY,
  API_ADMIN,
  API_WORKSPACE_ADMIN,
  API_FEATURE_FLAG_VIEWER,
  API_FEATURE_FLAG_EDITOR,
  API_SEGMENT_VIEWER,
  API_SEGMENT_EDITOR
}
