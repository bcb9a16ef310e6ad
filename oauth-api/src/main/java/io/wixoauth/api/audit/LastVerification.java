package io.wixoauth.api.audit;

import java.time.Instant;

/** The audit chain's last verification, whoever ran it and on whichever node: when, by whom, and what it found. */
public record LastVerification(Instant at, String by, boolean intact, long entriesChecked, String problem) {
}
