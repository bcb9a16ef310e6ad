/**
 * Installations and what happens to them: the transactions that record an install, a refresh token Wix returned
 * or refused, and the fallback to client credentials that the {@code InstallationFailed} event triggers.
 */
package io.wixoauth.core.installation;
