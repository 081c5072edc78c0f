/**
 * How the custom resources are read so that no value can stop an informer: a value this version cannot read becomes
 * null and is noted ({@link dev.apikeyoperator.lenientread.ReadNotes}), which the spec validation reports as
 * InvalidSpec naming the field (docs/concepts/ready-and-synced.md). A failed read would stop the informer, and with it
 * the operator for every tenant. Apart from the API types because it knows none of them: they name it.
 */
package dev.apikeyoperator.lenientread;
