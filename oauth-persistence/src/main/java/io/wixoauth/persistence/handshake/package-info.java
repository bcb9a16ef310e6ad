/** The install handshake's CSRF state (protocol section 2): kept only as a hash, single-use, short-lived. */
package io.wixoauth.persistence.handshake;
