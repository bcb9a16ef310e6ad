/**
 * The Wix apps one deployment serves: the default one from its settings, and the ones operators add; their secrets
 * changed without a restart, and a secret Wix refuses told apart from a failing installation.
 */
package io.wixoauth.api.app;
