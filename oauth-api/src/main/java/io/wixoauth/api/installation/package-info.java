/**
 * Installations of the Wix app on a site: the identifiers that name them and the rules those identifiers follow.
 * An identifier that exists as a value object has already been validated.
 */
package io.wixoauth.api.installation;
