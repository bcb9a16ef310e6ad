/**
 * What every endpoint shares, whichever feature it serves: the request's reference (logged, and shown to the caller),
 * the bounds on a request body, the groups callers are authorised by, and the marker of browser-facing resources.
 */
package io.wixoauth.web.http;
