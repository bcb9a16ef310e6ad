/**
 * Recording and checking the audit trail: appends under a database lock so the chain has one order on every node,
 * one structured JSON log line per entry for the company's log pipeline, and a walk that finds the first broken link.
 */
package io.wixoauth.core.audit;
