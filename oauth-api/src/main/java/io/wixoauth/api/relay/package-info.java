/**
 * The event relay: backends subscribe to what happens to installations (Wix's own webhooks, relayed, and this
 * service's events) and receive each event signed per the Standard Webhooks specification, at least once, in order
 * per installation.
 */
package io.wixoauth.api.relay;
