package dev.apikeyoperator.customresource;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.config.Cloner;
import java.util.List;

/**
 * JOSDK's cloning (a JSON round trip) with the {@link ReadNotes} of the original kept: what could not be read is
 * null or absent in the JSON, so a plain clone would hand the reconciler a spec that looks merely incomplete.
 */
public final class NotesKeepingCloner implements Cloner {
  private final KubernetesSerialization serialization;

  public NotesKeepingCloner(KubernetesSerialization serialization) {
    this.serialization = serialization;
  }

  @Override
  public <R extends HasMetadata> R clone(R object) {
    R copy = serialization.clone(object);
    if (object instanceof CustomResource<?, ?> original && copy instanceof CustomResource<?, ?> cloned
        && original.getSpec() instanceof ReadNotes from && cloned.getSpec() instanceof ReadNotes to) {
      addMissing(from.readProblems(), to.readProblems());
      addMissing(from.unknownFields(), to.unknownFields());
    }
    return copy;
  }

  private static void addMissing(List<String> from, List<String> to) {
    from.stream().filter(n -> !to.contains(n)).forEach(to::add);
  }
}
