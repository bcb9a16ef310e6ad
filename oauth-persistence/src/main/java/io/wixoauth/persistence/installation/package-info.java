/**
 * Stored installations: one row per Wix instance, keyed by its instance id, with the OAuth mode it is served by.
 */
package io.wixoauth.persistence.installation;
