/**
 * The operations console's sign-in and sessions: OpenID Connect with the company's identity provider
 * ({@link io.wixoauth.core.console.OpenIdLogin}), sessions every node shares ({@link io.wixoauth.core.console.ConsoleSessions}).
 * What operators see and do in the console goes through the admin API, as for any other caller.
 */
package io.wixoauth.core.console;
