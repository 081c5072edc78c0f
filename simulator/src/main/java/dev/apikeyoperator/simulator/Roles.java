package dev.apikeyoperator.simulator;

import java.util.List;

/** The documented FME admin API key roles. */
public final class Roles {
  public static final String API_ALL_GRANTED = "API_ALL_GRANTED";
  public static final String API_APIKEY = "API_APIKEY";
  public static final String API_ADMIN = "API_ADMIN";
  public static final String API_WORKSPACE_ADMIN = "API_WORKSPACE_ADMIN";
  public static final String API_FEATURE_FLAG_VIEWER = "API_FEATURE_FLAG_VIEWER";
  public static final String API_FEATURE_FLAG_EDITOR = "API_FEATURE_FLAG_EDITOR";
  public static final String API_SEGMENT_VIEWER = "API_SEGMENT_VIEWER";
  public static final String API_SEGMENT_EDITOR = "API_SEGMENT_EDITOR";

  /** Every documented role, in documentation order. */
  public static final List<String> ALL = List.of(
      API_ALL_GRANTED, API_APIKEY, API_ADMIN, API_WORKSPACE_ADMIN,
      API_FEATURE_FLAG_VIEWER, API_FEATURE_FLAG_EDITOR, API_SEGMENT_VIEWER, API_SEGMENT_EDITOR);

  private Roles() {}
}
