/**
 * Serving access tokens, the whole story in one package: {@link io.wixoauth.core.token.DefaultAccessTokenService}
 * walks a request through the node's cache ({@code AccessTokenCache}), one load per instance on the node
 * ({@code SingleFlight}), one fetch per instance across nodes ({@code ClusterFetch}, over {@code SharedTokens} in the
 * database), and the fetch by strategy ({@code TokenFetch}), with the fallback to client credentials
 * ({@code ClientCredentialsFallback}).
 */
package io.wixoauth.core.token;
