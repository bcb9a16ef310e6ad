/**
 * The install handshake (protocol section 2): single-use CSRF states bound to the browser, the code exchange, the
 * critical store of the refresh token, and the fallback when that store or the exchange fails.
 */
package io.wixoauth.core.handshake;
