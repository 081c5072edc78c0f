package dev.apikeyoperator.informercache;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;
import java.util.function.UnaryOperator;

/**
 * An informer's store of stripped copies ({@link CachedMetadata}): JOSDK's {@link TransformingItemStore}, which puts
 * the name and namespace the object came with back after the stripping; here those are shared too, and so is each
 * object's key ({@code namespace/name}), which the informer keeps in its store and in each of its indexes.
 */
public final class StrippedItemStore<R extends HasMetadata> extends TransformingItemStore<R> {
  public StrippedItemStore(UnaryOperator<R> strip) {
    super(strip);
  }

  @Override
  public String getKey(R obj) {
    return CachedMetadata.intern(super.getKey(obj));
  }

  @Override
  public R put(String key, R obj) {
    R previous = super.put(key, obj);
    R stored = get(key);
    ObjectMeta meta = stored == null ? null : stored.getMetadata();
    if (meta != null) {
      meta.setName(CachedMetadata.intern(meta.getName()));
      meta.setNamespace(CachedMetadata.intern(meta.getNamespace()));
    }
    return previous;
  }
}
