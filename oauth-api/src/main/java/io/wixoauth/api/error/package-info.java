/**
 * Business exceptions: one per failure a caller can act on, each with a stable error code.
 * The web layer maps each {@link io.wixoauth.api.error.ErrorKind} to an HTTP status.
 */
package io.wixoauth.api.error;
