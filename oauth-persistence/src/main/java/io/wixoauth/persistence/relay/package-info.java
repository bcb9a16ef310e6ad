/**
 * The event relay's tables: subscriptions, the outbox of events and their deliveries (V9). Native statements only:
 * the rows are claimed and settled by conditional updates from every node, which EclipseLink's caches would not see.
 */
package io.wixoauth.persistence.relay;
