/**
 * How fast and how many at once the operator calls vendors: per tenant (a namespace) a few call slots, so a hanging
 * endpoint holds only its tenant's reconcile threads; per provider a pace (its rateLimit, and what its 429s taught),
 * with permits booked fairly across tenants. {@link dev.apikeyoperator.pacing.Pacing} is the way in.
 */
package dev.apikeyoperator.pacing;
