package io.wixoauth.web.hostile;

import io.wixoauth.web.support.Browser;
import io.wixoauth.web.support.Http;
import io.wixoauth.web.support.ServiceDatabase;
import io.wixoauth.web.support.ServiceEnvironment;
import io.wixoauth.web.support.ServiceIT;
import org.jboss.arquillian.container.test.api.Deployment;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.wixoauth.web.support.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Anonymous traffic gets bounded work: a thousand visits to the App URL, forged webhooks and forged callbacks store
 * nothing, and reach the audit trail only as a few summaries with their counts; token reads for instances Wix does
 * not know leave nothing behind.
 */
@ServiceIT
class AnonymousFloodIT {

    private static final int REQUESTS = 1000;
    /** Counted before and after. {@code oauth_state} is checked by what was written: its expired rows may be swept meanwhile. */
    private static final List<String> TABLES = List.of("installation", "shared_access_token", "background_job",
            "import_line", "audit_entry");
    private static final Pattern SUMMARY = Pattern.compile("^(\\d+) refused in the ");

    private final ServiceEnvironment env = ServiceEnvironment.get();
    private final ServiceDatabase db = env.database();

    @Test
    void aThousandAnonymousInstallsWebhooksAndCallbacksStoreNothingAndReachTheTrailOnlyAsCounts() throws Exception {
        Map<String, Long> before = rows();
        long logBefore = logBytes();
        long lastSeq = lastSeq();
        Instant floodStarted = Instant.now();

        for (int i = 0; i < REQUESTS; i++) {
            assertThat(new Browser().get(env.service().resolve("oauth/install")).statusCode()).isEqualTo(302);
        }
        Map<String, Long> afterInstalls = rows();
        for (int i = 0; i < REQUESTS; i++) {
            HttpResponse<String> forged = Http.send(HttpRequest.newBuilder(env.webhookUrl())
                    .header("Content-Type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofString("forged." + i + ".webhook")).build());
            assertThat(forged.statusCode()).as("forged webhook %d: %s %s", i, forged.headers().map(), forged.body())
                    .isEqualTo(401);
        }
        for (int i = 0; i < REQUESTS; i++) {
            assertThat(new Browser().get(env.service().resolve("oauth/callback?code=c" + i + "&state="
                    + UUID.randomUUID() + "&instanceId=" + UUID.randomUUID())).statusCode()).isEqualTo(400);
        }
        Map<Long, String> summaries = awaitSummaries(lastSeq);
        Map<String, Long> after = rows();
        long logGrowth = logBytes() - logBefore;

        System.out.printf("%d anonymous installs + %d forged webhooks + %d forged callbacks: rows %s -> %s, "
                + "%d audit summaries %s, %d bytes of log%n", REQUESTS, REQUESTS, REQUESTS, before, after,
                summaries.size(), summaries.values(), logGrowth);
        assertThat(afterInstalls).as("rows after %d visits to the App URL", REQUESTS).isEqualTo(before);
        for (String table : TABLES) {
            if (!table.equals("audit_entry")) {
                assertThat(after.get(table)).as(table).isEqualTo(before.get(table));
            }
        }
        assertThat(statesWrittenSince(floodStarted)).as("oauth_state rows written by the flood").isZero();
        assertThat(after.get("audit_entry") - before.get("audit_entry")).as("audit entries for %d refusals", 2 * REQUESTS)
                .isEqualTo(summaries.size()).isLessThan(20);
        assertThat(count(summaries, "webhook.rejected")).as("forged webhooks counted").isGreaterThanOrEqualTo(REQUESTS);
        assertThat(count(summaries, "install.refused")).as("forged callbacks counted").isGreaterThanOrEqualTo(REQUESTS);
        assertThat(logGrowth).as("log bytes for %d refusals", 2 * REQUESTS).isLessThan(100_000);
        String metrics = Http.get(env.service().resolve("metrics?scope=application"), null).body();
        assertThat(metrics).containsPattern("oauth_refusals_total\\{[^}]*action=\"webhook.rejected\"[^}]*} [1-9]\\d{3}");
    }

    @Test
    void tokenReadsForInstancesWixDoesNotKnowLeaveNothingBehind() {
        Map<String, Long> before = rows();
        String bearer = env.bearer("token-reader");

        for (int i = 0; i < 100; i++) {
            HttpResponse<String> unknown = Http.get(env.tokenUri(UUID.randomUUID().toString()), bearer);
            assertThat(unknown.statusCode()).isEqualTo(404);
        }

        Map<String, Long> after = rows();
        assertThat(after.get("shared_access_token")).as("shared-token rows").isEqualTo(before.get("shared_access_token"));
        assertThat(after.get("installation")).isEqualTo(before.get("installation"));
    }

    /** The refusal summaries appended after {@code afterSeq}, once both kinds are in (they come every 2 s here). */
    private Map<Long, String> awaitSummaries(long afterSeq) {
        return eventually(() -> {
            Map<Long, String> summaries = new LinkedHashMap<>();
            for (Map<String, Object> row : db.query("SELECT seq, action, details FROM audit_entry WHERE seq > ? "
                    + "AND actor = 'anonymous' ORDER BY seq", afterSeq)) {
                summaries.put(((Number) row.get("seq")).longValue(), row.get("action") + " " + row.get("details"));
            }
            return summaries;
        }, seen -> count(seen, "webhook.rejected") >= REQUESTS && count(seen, "install.refused") >= REQUESTS,
                Duration.ofSeconds(15));
    }

    private static long count(Map<Long, String> summaries, String action) {
        long total = 0;
        for (String summary : summaries.values()) {
            if (summary.startsWith(action + " ")) {
                Matcher match = SUMMARY.matcher(summary.substring(action.length() + 1));
                if (match.find()) {
                    total += Long.parseLong(match.group(1));
                }
            }
        }
        return total;
    }

    private Map<String, Long> rows() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String table : TABLES) {
            counts.put(table, ((Number) db.query("SELECT COUNT(*) AS n FROM " + table).get(0).get("n")).longValue());
        }
        return counts;
    }

    private long statesWrittenSince(Instant since) {
        return ((Number) db.query("SELECT COUNT(*) AS n FROM oauth_state WHERE created_at >= ?",
                java.sql.Timestamp.from(since)).get(0).get("n")).longValue();
    }

    private long lastSeq() {
        return ((Number) db.query("SELECT last_seq FROM audit_head").get(0).get("last_seq")).longValue();
    }

    private long logBytes() throws java.io.IOException {
        return env.serverLogs().values().stream().mapToLong(String::length).sum();
    }
}
