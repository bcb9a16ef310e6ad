/**
 * Wix's webhooks (protocol section 6): verified against the app's public keys, then applied to the installation in
 * an order-safe, idempotent way.
 */
package io.wixoauth.core.webhook;
