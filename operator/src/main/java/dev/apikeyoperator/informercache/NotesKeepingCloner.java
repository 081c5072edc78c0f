package dev.apikeyoperator.informercache;

import dev.apikeyoperator.lenientread.ReadNotes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.config.Cloner;

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
    sameNames(object, copy);
    if (object instanceof CustomResource<?, ?> original && copy instanceof CustomResource<?, ?> cloned
        && original.getSpec() instanceof ReadNotes from && cloned.getSpec() instanceof ReadNotes to) {
      to.note(from.readProblems(), from.unknownFields());
    }
    return copy;
  }

  /**
   * The clone refers to the original's name, namespace and uid (shared in the caches, {@link CachedMetadata}) instead
   * of copies of its own: whatever keeps a reconciled key by uid or name keeps no second copy of it.
   */
  private static void sameNames(HasMetadata original, HasMetadata copy) {
    ObjectMeta from = original.getMetadata();
    ObjectMeta to = copy.getMetadata();
    if (from == null || to == null) {
      return;
    }
    if (java.util.Objects.equals(from.getName(), to.getName())) {
      to.setName(from.getName());
    }
    if (java.util.Objects.equals(from.getNamespace(), to.getNamespace())) {
      to.setNamespace(from.getNamespace());
    }
    if (java.util.Objects.equals(from.getUid(), to.getUid())) {
      to.setUid(from.getUid());
    }
  }

}
