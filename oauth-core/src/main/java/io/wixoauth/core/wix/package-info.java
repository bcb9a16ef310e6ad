/**
 * Talking to Wix: the app's credentials and endpoints from configuration, and the OAuth client that turns Wix's
 * answers into tokens or into errors classified as permanent or transient (protocol sections 0 and 1).
 */
package io.wixoauth.core.wix;
