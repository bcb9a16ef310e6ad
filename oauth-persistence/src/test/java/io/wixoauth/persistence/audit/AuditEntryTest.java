package io.wixoauth.persistence.audit;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/** The audit chain's links are sealed with a key the database does not hold. */
class AuditEntryTest {

    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);
    private static final String OTHER_KEY = Base64.getEncoder().encodeToString("another key of thirty-two bytes!".getBytes());
    private final ChainKeys keys = ChainKeys.parse("a1:" + KEY, "a1");
    private final Instant at = Instant.parse("2026-12-02T10:00:00Z");

    @Test
    void anEntryIsSealedWithTheActiveKeyAndVerifiesUnderIt() {
        AuditEntry entry = entry(keys, "install.completed");

        assertThat(entry.getKeyId()).isEqualTo("a1");
        assertThat(entry.getHash()).hasSize(64);
        assertThat(entry.expectedHash(keys)).hasValue(entry.getHash());
    }

    @Test
    void whoeverLacksTheKeyCannotSealALink() {
        AuditEntry genuine = entry(keys, "install.completed");
        AuditEntry forged = entry(ChainKeys.parse("a1:" + OTHER_KEY, "a1"), "install.completed");

        assertThat(forged.getHash()).as("the same fields under a guessed key").isNotEqualTo(genuine.getHash());
        assertThat(forged.expectedHash(keys)).isNotEqualTo(java.util.Optional.of(forged.getHash()));
    }

    @Test
    void aRotationKeepsOlderEntriesVerifiableAndAnUnknownKeyIsReported() {
        AuditEntry old = entry(keys, "install.completed");
        ChainKeys rotated = ChainKeys.parse("a1:" + KEY + ",a2:" + OTHER_KEY, "a2");
        AuditEntry newer = entry(rotated, "webhook.AppRemoved");

        assertThat(newer.getKeyId()).isEqualTo("a2");
        assertThat(old.expectedHash(rotated)).hasValue(old.getHash());
        assertThat(newer.expectedHash(rotated)).hasValue(newer.getHash());
        assertThat(newer.expectedHash(keys)).as("a2 removed from the configuration").isEmpty();
    }

    @Test
    void anEntryWithoutAnAppIsSealedAsEveryEntryBeforeAppsWereRecorded() {
        AuditEntry entry = entry(keys, "install.completed");

        // The fields joined as V7..V17 sealed them: a chain written before V18 still verifies after it.
        String before = String.join("\u001f", "42", "0".repeat(64), at.toString(), "install.completed", "site-owner",
                "0b7e9d10-aaaa-4bbb-8ccc-9ddddeeeeeee", "ok", "", "req-1", "");
        assertThat(entry.getHash()).isEqualTo(keys.seal(before));
    }

    @Test
    void theAppIsSealedWithTheEntry() {
        AuditEntry entry = new AuditEntry(41, "0".repeat(64), at, "install.completed", "site-owner",
                "0b7e9d10-aaaa-4bbb-8ccc-9ddddeeeeeee", APP, "ok", null, "req-1", null, keys);
        assertThat(entry.getAppId()).isEqualTo(APP);
        assertThat(entry.getHash()).isNotEqualTo(entry(keys, "install.completed").getHash());

        AuditEntry movedToAnotherApp = restored(entry, "d3e1b6a2-1111-4222-8333-944445555666");
        AuditEntry appRemoved = restored(entry, null);
        assertThat(restored(entry, APP).expectedHash(keys)).hasValue(entry.getHash());
        assertThat(movedToAnotherApp.expectedHash(keys)).isNotEqualTo(java.util.Optional.of(entry.getHash()));
        assertThat(appRemoved.expectedHash(keys)).isNotEqualTo(java.util.Optional.of(entry.getHash()));
    }

    private static final String APP = "a7c3f0e2-0000-4000-8000-00000000a001";

    private static AuditEntry restored(AuditEntry entry, String appId) {
        return AuditEntry.restored(entry.getSeq(), entry.getPrevHash(), entry.getOccurredAt(), entry.getAction(),
                entry.getActor(), entry.getInstanceId(), appId, entry.getOutcome(), entry.getReason(),
                entry.getRequestId(), entry.getDetails(), entry.getHash(), entry.getKeyId());
    }

    private AuditEntry entry(ChainKeys with, String action) {
        return new AuditEntry(41, "0".repeat(64), at, action, "site-owner", "0b7e9d10-aaaa-4bbb-8ccc-9ddddeeeeeee",
                null, "ok", null, "req-1", null, with);
    }
}
