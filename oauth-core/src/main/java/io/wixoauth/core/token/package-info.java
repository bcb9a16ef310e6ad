/**
 * Serving access tokens: the cache that lets one upstream call per instance per expiry serve every concurrent
 * caller, and the service that picks the OAuth strategy for an instance.
 */
package io.wixoauth.core.token;
