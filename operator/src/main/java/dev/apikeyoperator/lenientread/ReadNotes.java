package dev.apikeyoperator.lenientread;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.ArrayList;
import java.util.List;

/**
 * What could not be read from an object's spec (docs/concepts/ready-and-synced.md: an object this operator version cannot
 * read gets InvalidSpec naming the field, and never stops the operator). Filled by {@link LenientDeserializer}; never
 * serialized, never part of the CRD schema.
 */
public abstract class ReadNotes {
  // none for almost every object: one shared empty list each, not two per cached spec
  private List<String> readProblems = List.of();
  private List<String> unknownFields = List.of();

  /** Values this version cannot read, each a sentence naming the field; the spec must not be acted upon. */
  @JsonIgnore
  public List<String> readProblems() {
    return readProblems;
  }

  /** Adds what {@code problems} and {@code unknown} name and the notes do not hold yet. */
  public void note(List<String> problems, List<String> unknown) {
    readProblems = adding(readProblems, problems);
    unknownFields = adding(unknownFields, unknown);
  }

  private static List<String> adding(List<String> notes, List<String> more) {
    List<String> missing = more.stream().filter(n -> !notes.contains(n)).toList();
    if (missing.isEmpty()) {
      return notes;
    }
    List<String> all = new ArrayList<>(notes);
    all.addAll(missing);
    return List.copyOf(all);
  }

  /** Fields this version does not know (a newer CRD, or a typo); they are ignored. */
  @JsonIgnore
  public List<String> unknownFields() {
    return unknownFields;
  }
}
