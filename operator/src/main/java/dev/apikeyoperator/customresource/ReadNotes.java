package dev.apikeyoperator.customresource;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.ArrayList;
import java.util.List;

/**
 * What could not be read from an object's spec (README "Resources in short": an object this operator version cannot
 * read gets InvalidSpec naming the field, and never stops the operator). Filled by {@link LenientDeserializer}; never
 * serialized, never part of the CRD schema.
 */
public abstract class ReadNotes {
  private final List<String> readProblems = new ArrayList<>();
  private final List<String> unknownFields = new ArrayList<>();

  /** Values this version cannot read, each a sentence naming the field; the spec must not be acted upon. */
  @JsonIgnore
  public List<String> readProblems() {
    return readProblems;
  }

  /** Fields this version does not know (a newer CRD, or a typo); they are ignored. */
  @JsonIgnore
  public List<String> unknownFields() {
    return unknownFields;
  }
}
