/**
 * The audit trail: append-only entries, each carrying a SHA-256 hash over its own fields and the previous entry's
 * hash, so that changing, removing or inserting an entry breaks the chain where it happened.
 */
package io.wixoauth.persistence.audit;
