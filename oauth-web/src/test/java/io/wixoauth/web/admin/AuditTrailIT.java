package io.wixoauth.web.admin;

import io.wixoauth.persistence.audit.AuditEntry;
import io.wixoauth.persistence.audit.ChainKeys;
import io.wixoauth.simulator.ServiceWiring;
import io.wixoauth.web.support.Http;
import io.wixoauth.web.support.Installs;
import io.wixoauth.web.support.ServiceDatabase;
import io.wixoauth.web.support.ServiceEnvironment;
import io.wixoauth.web.support.ServiceIT;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.wixoauth.web.support.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit trail against someone who can write the service's database but holds no key: every change they make to
 * the chain is found, by the chain's own keyed seals or, for a cut tail, by the checkpoint the log kept. The attacks
 * are made offline, straight on the database, and each test puts the rows back as they were.
 */
@ServiceIT
class AuditTrailIT {

    private static final Pattern CHECKPOINT = Pattern.compile("\"checkpoint\":\"(\\d+):([0-9a-f]{64})\"");

    private final ServiceEnvironment env = ServiceEnvironment.get();
    private final ServiceDatabase db = env.database();

    @Test
    void anEntryChangedAndTheRestReSealedWithAGuessedKeyOrAsPlainHashesIsFound() {
        grow();
        List<Map<String, Object>> tail = rowsFrom(lastSeq() - 2);
        long victim = seq(tail.get(0));
        ChainKeys guessed = ChainKeys.parse("a1:" + ServiceWiring.randomKey(), "a1");
        try {
            rewrite(tail, guessed);
            JsonObject guessedKey = verify(null);
            assertThat(guessedKey.getBoolean("intact")).isFalse();
            assertThat(guessedKey.getJsonNumber("firstBrokenSeq").longValue()).isEqualTo(victim);

            rewrite(tail, null);
            JsonObject plain = verify(null);
            assertThat(plain.getBoolean("intact")).isFalse();
            assertThat(plain.getJsonNumber("firstBrokenSeq").longValue()).isEqualTo(victim);
            assertThat(plain.getString("problem")).contains("not sealed with a key");
        } finally {
            restore(tail);
        }
        assertThat(verify(null).getBoolean("intact")).as("as it was").isTrue();
    }

    @Test
    void aTailCutTogetherWithTheHeadIsFoundWithTheCheckpointTheLogKept() throws Exception {
        grow();
        long head = lastSeq();
        String checkpoint = awaitCheckpoint(head);
        List<Map<String, Object>> cut = rowsFrom(head - 2);
        Map<String, Object> newHead = db.query("SELECT seq, hash FROM audit_entry WHERE seq = ?", head - 3).get(0);
        try {
            db.update("DELETE FROM audit_entry WHERE seq >= ?", head - 2);
            db.update("UPDATE audit_head SET last_seq = ?, last_hash = ?", newHead.get("seq"), newHead.get("hash"));

            assertThat(verify(null).getBoolean("intact")).as("the database alone cannot show a clean cut").isTrue();
            JsonObject withCheckpoint = verify(checkpoint);
            assertThat(withCheckpoint.getBoolean("intact")).isFalse();
            assertThat(withCheckpoint.getString("problem")).contains("tail was cut");
        } finally {
            for (Map<String, Object> row : cut) {
                insert(row);
            }
            db.update("UPDATE audit_head SET last_seq = ?, last_hash = ?", seq(cut.get(cut.size() - 1)),
                    cut.get(cut.size() - 1).get("hash"));
        }
        assertThat(verify(checkpoint).getBoolean("intact")).as("as it was, and with the checkpoint").isTrue();
        assertThat(Http.get(env.service().resolve("api/admin/audit/verify?checkpoint=12:nothex"),
                env.bearer("oauth-auditor")).statusCode()).isEqualTo(400);
    }

    /** A few more entries, so the chain has keyed entries before the ones the attacks touch. */
    private void grow() {
        for (int i = 0; i < 5; i++) {
            Installs.withRefreshToken(env);
        }
    }

    /** The attacker's edit: an outcome changed, and every link from there re-sealed (with {@code key}, or plain). */
    private void rewrite(List<Map<String, Object>> rows, ChainKeys key) {
        String previous = (String) rows.get(0).get("prev_hash");
        for (int i = 0; i < rows.size(); i++) {
            Map<String, Object> row = rows.get(i);
            String outcome = i == 0 ? "nothing happened" : (String) row.get("outcome");
            String hash = key == null ? sha256(canonical(row, previous, outcome)) : new AuditEntry(seq(row) - 1, previous,
                    instant(row.get("occurred_at")), (String) row.get("action"), (String) row.get("actor"),
                    (String) row.get("instance_id"), (String) row.get("app_id"), outcome, (String) row.get("reason"), (String) row.get("request_id"),
                    (String) row.get("details"), key).getHash();
            db.update("UPDATE audit_entry SET outcome = ?, prev_hash = ?, hash = ?, key_id = ? WHERE seq = ?",
                    outcome, previous, hash, key == null ? null : key.activeKeyId(), seq(row));
            previous = hash;
        }
        db.update("UPDATE audit_head SET last_hash = ? WHERE last_seq = ?", previous, seq(rows.get(rows.size() - 1)));
    }

    private void restore(List<Map<String, Object>> rows) {
        for (Map<String, Object> row : rows) {
            db.update("UPDATE audit_entry SET outcome = ?, prev_hash = ?, hash = ?, key_id = ? WHERE seq = ?",
                    row.get("outcome"), row.get("prev_hash"), row.get("hash"), row.get("key_id"), seq(row));
        }
        Map<String, Object> last = rows.get(rows.size() - 1);
        db.update("UPDATE audit_head SET last_hash = ? WHERE last_seq = ?", last.get("hash"), seq(last));
    }

    private void insert(Map<String, Object> row) {
        db.update("INSERT INTO audit_entry (seq, occurred_at, action, actor, instance_id, app_id, outcome, reason, "
                        + "request_id, details, prev_hash, hash, key_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                row.get("seq"), row.get("occurred_at"), row.get("action"), row.get("actor"), row.get("instance_id"),
                row.get("app_id"), row.get("outcome"), row.get("reason"), row.get("request_id"), row.get("details"), row.get("prev_hash"),
                row.get("hash"), row.get("key_id"));
    }

    /** The latest checkpoint the service wrote to its log once the chain reached {@code seq}. */
    private String awaitCheckpoint(long seq) {
        String latest = eventually(() -> latestCheckpoint(seq), found -> found != null, Duration.ofSeconds(20));
        assertThat(latest).as("a checkpoint of entry " + seq + " or later in the log within 20 s").isNotNull();
        return latest;
    }

    private String latestCheckpoint(long seq) {
        String latest = null;
        java.util.Collection<String> logs;
        try {
            logs = env.serverLogs().values();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        for (String log : logs) {
            Matcher match = CHECKPOINT.matcher(log);
            while (match.find()) {
                if (Long.parseLong(match.group(1)) >= seq) {
                    latest = match.group(1) + ":" + match.group(2);
                }
            }
        }
        return latest;
    }

    private JsonObject verify(String checkpoint) {
        return Http.json(Http.get(env.service().resolve("api/admin/audit/verify"
                + (checkpoint == null ? "" : "?checkpoint=" + checkpoint)), env.bearer("oauth-auditor")));
    }

    private List<Map<String, Object>> rowsFrom(long seq) {
        return new ArrayList<>(db.query("SELECT * FROM audit_entry WHERE seq >= ? ORDER BY seq", seq));
    }

    private long lastSeq() {
        return ((Number) db.query("SELECT last_seq FROM audit_head").get(0).get("last_seq")).longValue();
    }

    private static long seq(Map<String, Object> row) {
        return ((Number) row.get("seq")).longValue();
    }

    private static String canonical(Map<String, Object> row, String previous, String outcome) {
        return String.join("\u001f", String.valueOf(seq(row)), previous, instant(row.get("occurred_at")).toString(),
                (String) row.get("action"), (String) row.get("actor"), Objects.toString(row.get("instance_id"), ""),
                outcome, Objects.toString(row.get("reason"), ""), Objects.toString(row.get("request_id"), ""),
                Objects.toString(row.get("details"), ""))
                + (row.get("app_id") == null ? "" : "\u001fapp=" + row.get("app_id"));
    }

    private static Instant instant(Object column) {
        return column instanceof OffsetDateTime odt ? odt.toInstant() : ((Timestamp) column).toInstant();
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
