/** Wix's webhooks (protocol section 6): signed install, uninstall and paid-plan events, handled idempotently. */
package io.wixoauth.api.webhook;
