package dev.apikeyoperator.status;

/** A reason of a Ready condition, whichever the kind: its name is what the status shows. */
public interface ConditionReason {
  String name();

  /** Whether the reason means Ready=True. */
  boolean ready();
}
