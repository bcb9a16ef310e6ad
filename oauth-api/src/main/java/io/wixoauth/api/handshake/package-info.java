/**
 * The advanced-OAuth install handshake (protocol section 2): the redirect to Wix's consent page with a CSRF state,
 * and the callback that exchanges the code and stores the refresh token.
 */
package io.wixoauth.api.handshake;
