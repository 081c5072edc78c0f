/**
 * What the informer caches keep of each object, and why: at 10 000 Ready keys the caches are most of the heap, and the
 * goal is at most 8 KiB per Ready key (docs/design/memory-and-startup.md). Each trick, and what it saves:
 * <ul>
 *   <li>{@link dev.apikeyoperator.informercache.CachedMetadata}: no {@code managedFields} (the operator never uses
 *       server-side apply, so never reads them: on a real cluster the largest part of an object's metadata), every
 *       empty collection the shared empty one, every collection of its exact size, and the strings many objects
 *       repeat (namespace, names, uids, owner kinds, label keys) shared.</li>
 *   <li>{@link dev.apikeyoperator.informercache.CachedApiKeys}: an ApiKey without {@code kubectl apply}'s
 *       last-applied annotation (a second copy of the spec the operator never reads), and with the provider, project,
 *       environment and condition strings shared.</li>
 *   <li>{@link dev.apikeyoperator.informercache.CachedSecrets}: the same for the operator's own Secrets (the mounted
 *       Secret and the ledger of each key: two per key).</li>
 *   <li>{@link dev.apikeyoperator.informercache.StrippedItemStore}: JOSDK's {@code TransformingItemStore}, which
 *       strips each object as the informer stores it, with the store's own key ({@code namespace/name}) shared too:
 *       the informer keeps that key in its store and in every index.</li>
 *   <li>{@link dev.apikeyoperator.informercache.NotesKeepingCloner}: JOSDK's clone for a reconcile, which keeps what
 *       the lenient reading noted, and refers to the cached copy's name, namespace and uid instead of new copies.</li>
 * </ul>
 * The cached copies are stripped in place (the informer hands the object it stores to the event filters too, so an
 * update's older and newer object look alike) and are never changed afterwards: a reconcile works on a clone.
 */
package dev.apikeyoperator.informercache;
