/**
 * Refresh tokens at rest: AES-256-GCM under a key ring whose active key encrypts and whose older keys still decrypt,
 * and the JPA converter that keeps every stored token encrypted and bound to its installation.
 */
package io.wixoauth.persistence.crypto;
