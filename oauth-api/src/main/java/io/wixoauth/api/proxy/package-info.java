/** Calling Wix's API through the service, which holds the instance's token: the proxy's contract. */
package io.wixoauth.api.proxy;
