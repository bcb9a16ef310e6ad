package io.wixoauth.web.retention;

import io.wixoauth.simulator.WixSimulator;
import io.wixoauth.web.support.Http;
import io.wixoauth.web.support.Relays;
import io.wixoauth.web.support.ServiceDatabase;
import io.wixoauth.web.support.ServiceEnvironment;
import io.wixoauth.web.support.ServiceIT;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.wixoauth.web.support.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A month later (issue 25): rows past their horizon, as the service wrote them and as a month would have aged them,
 * purged kind by kind by the purge job, exactly what the preview showed, and nothing that is still needed: an
 * installed site, a recent uninstall, a delivery still to be made elsewhere, the purge job itself.
 */
@ServiceIT
class RetentionIT {

    private static final Duration DAY = Duration.ofDays(1);

    private final ServiceEnvironment env = ServiceEnvironment.get();
    private final WixSimulator wix = env.wix();
    private final ServiceDatabase db = env.database();

    @Test
    void eachKindPurgesWhatItShouldAndNothingElseAndThePreviewIsWhatThePurgeRemoves() {
        Instant now = Instant.now();
        // A subscription on hold keeps a PENDING delivery of every event.
        String subscription = held();
        String installed = wix.installApp();
        String longGone = wix.installApp();
        String justGone = wix.installApp();
        String stillHeld = wix.installApp();
        webhook("AppInstalled", installed, now.minus(DAY.multipliedBy(40)));
        webhook("AppInstalled", longGone, now.minus(DAY.multipliedBy(40)));
        webhook("AppRemoved", longGone, now.minus(DAY.multipliedBy(31)));
        webhook("AppInstalled", justGone, now.minus(DAY.multipliedBy(40)));
        webhook("AppRemoved", justGone, now.minus(DAY));
        webhook("AppInstalled", stillHeld, now.minus(DAY.multipliedBy(40)));
        assertThat(env.accessToken(installed).statusCode()).isEqualTo(200);
        // A month of relaying, as it would have gone (to this subscription and any other the tests left): the
        // installed site's events delivered 8 days ago, the recent uninstall's given up 31 days ago; the old
        // uninstall's still held.
        int deliveredOld = age("DELIVERED", installed, now.minus(DAY.multipliedBy(8)));
        int eventsOld = db.update("UPDATE relay_event SET created_at = ? WHERE instance_id = ?",
                Timestamp.from(now.minus(DAY.multipliedBy(8))), installed);
        int failedOld = age("FAILED", justGone, now.minus(DAY.multipliedBy(31)));
        int pendingOfLongGone = pending(longGone);
        String oldJob = finishedJobAged(now.minus(DAY.multipliedBy(31)));
        String oldTombstone = UUID.randomUUID().toString();
        db.update("INSERT INTO installation_tombstone (instance_id, uninstalled_at, removed_at) VALUES (?, ?, ?)",
                oldTombstone, Timestamp.from(now.minus(DAY.multipliedBy(431))), Timestamp.from(now.minus(DAY.multipliedBy(401))));
        assertThat(Http.send(HttpRequest.newBuilder(env.service().resolve("api/v1/instances/" + installed
                + "/wix/apps/v1/instance")).header("Authorization", "Bearer " + env.bearer("wix-caller")).build())
                .statusCode()).isEqualTo(200);
        db.update("UPDATE wix_call_budget SET minute_epoch = minute_epoch - 120 WHERE instance_id = ?", installed);
        // A console session idle for two hours (the idle lifetime is 30 minutes) and one in use.
        String idle = consoleSession(now.minus(Duration.ofHours(3)), now.minus(Duration.ofHours(2)));
        String inUse = consoleSession(now.minus(Duration.ofMinutes(5)), now);

        Map<String, Long> preview = preview();

        assertThat(preview).containsEntry("installations", 1L).containsEntry("pendingDeliveries", (long) pendingOfLongGone)
                .containsEntry("deliveredDeliveries", (long) deliveredOld).containsEntry("failedDeliveries", (long) failedOld)
                .containsEntry("events", (long) eventsOld).containsEntry("jobs", 1L).containsEntry("tombstones", 1L)
                .containsEntry("staleBudgets", 1L).containsEntry("consoleSessions", 1L).containsEntry("auditEntries", 0L);
        assertThat(pendingOfLongGone).isPositive();
        assertThat(deliveredOld).isPositive();
        assertThat(failedOld).isPositive();
        assertThat(db.installation(longGone)).as("still there: a preview removes nothing").isNotEmpty();

        JsonObject job = purge();

        StringBuilder expected = new StringBuilder("removed");
        preview.forEach((kind, count) -> expected.append(' ').append(kind).append('=').append(count));
        assertThat(job.getString("detail")).isEqualTo(expected.toString());
        assertThat(db.installation(longGone)).isEmpty();
        assertThat(db.query("SELECT uninstalled_at FROM installation_tombstone WHERE instance_id = ?", longGone))
                .as("its tombstone").hasSize(1);
        assertThat(db.installation(installed)).containsEntry("state", "INSTALLED");
        assertThat(db.installation(justGone)).containsEntry("state", "UNINSTALLED");
        assertThat(env.accessToken(installed).statusCode()).isEqualTo(200);
        assertThat(db.query("SELECT * FROM installation_tombstone WHERE instance_id = ?", oldTombstone)).isEmpty();
        assertThat(db.query("SELECT * FROM wix_call_budget WHERE instance_id = ?", installed)).isEmpty();
        assertThat(db.query("SELECT * FROM console_session WHERE id_hash = ?", idle)).isEmpty();
        assertThat(db.query("SELECT * FROM console_session WHERE id_hash = ?", inUse)).as("in use").hasSize(1);
        db.update("DELETE FROM console_session WHERE id_hash = ?", inUse);
        assertThat(deliveriesOf(installed)).as("delivered 8 days ago").isZero();
        assertThat(pending(longGone)).as("held for a site purged").isZero();
        assertThat(deliveriesOf(justGone)).as("given up 31 days ago").isZero();
        assertThat(db.query("SELECT * FROM relay_event WHERE instance_id = ?", justGone))
                .as("its events are younger than the horizon").isNotEmpty();
        assertThat(db.query("SELECT state FROM relay_delivery d JOIN relay_event e ON e.seq = d.event_seq "
                + "WHERE e.instance_id = ? AND d.subscription_id = ?", stillHeld, subscription))
                .as("deliveries not yet settled, of an installed site").isNotEmpty()
                .allSatisfy(row -> assertThat(row).containsEntry("state", "PENDING"));
        assertThat(db.query("SELECT * FROM relay_event WHERE instance_id = ?", installed)).isEmpty();
        assertThat(Http.get(env.service().resolve("api/admin/jobs/" + oldJob), env.bearer("oauth-admin")).statusCode())
                .isEqualTo(404);
        assertThat(db.query("SELECT * FROM relay_subscription WHERE id = ?", subscription)).hasSize(1);
        JsonObject completed = eventually(() -> Http.jsonArray(Http.get(env.service().resolve(
                        "api/admin/audit?action=job.retention.completed&cursor=0&limit=50"), env.bearer("oauth-auditor")))
                .stream().map(v -> v.asJsonObject()).filter(e -> job.getString("id").equals(e.getString("requestId", "")))
                .findFirst().orElse(null), found -> found != null, Duration.ofSeconds(10));
        assertThat(completed.getString("details")).isEqualTo(expected.toString());
        assertThat(preview().values()).as("nothing left past a horizon").containsOnly(0L);
    }

    private String consoleSession(Instant createdAt, Instant lastSeenAt) {
        String id = UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "");
        db.update("INSERT INTO console_session (id_hash, username, display_name, group_names, csrf_token, created_at, "
                        + "last_seen_at, expires_at) VALUES (?, 'ada', 'Ada Admin', 'oauth-admin', 'x', ?, ?, ?)", id,
                Timestamp.from(createdAt), Timestamp.from(lastSeenAt), Timestamp.from(createdAt.plus(Duration.ofHours(8))));
        return id;
    }

    @Test
    void aPurgedSiteIsNotBroughtBackByAReplayedInstallOrALateImportButComesBackWhenItIsReinstalled() {
        Instant now = Instant.now();
        String site = wix.installApp();
        webhook("AppInstalled", site, now.minus(DAY.multipliedBy(40)));
        webhook("AppRemoved", site, now.minus(DAY.multipliedBy(31)));
        purge();
        assertThat(db.installation(site)).isEmpty();

        assertThat(webhook("AppInstalled", site, now.minus(DAY.multipliedBy(40)))).as("a replay, accepted").isEqualTo(200);
        assertThat(db.installation(site)).as("but it changes nothing").isEmpty();
        String line = Json.createObjectBuilder().add("instanceId", site).add("refreshToken", wix.issueRefreshToken(site))
                .build() + "\n";
        HttpResponse<String> upload = Http.send(HttpRequest.newBuilder(env.service().resolve(
                        "api/admin/imports?reason=late+import"))
                .header("Authorization", "Bearer " + env.bearer("oauth-admin"))
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(line.getBytes(StandardCharsets.UTF_8)))).build());
        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(202);
        awaitDone(Http.json(upload).getJsonObject("job").getString("id"));
        assertThat(db.installation(site)).as("a late import does not bring it back").isEmpty();

        assertThat(webhook("AppInstalled", site, Instant.now())).isEqualTo(200);
        assertThat(db.installation(site)).as("reinstalled after the removal: back").containsEntry("state", "INSTALLED");
    }

    @Test
    void thePurgeAndThePreviewAreForOperatorsAndAuditorsOnly() {
        HttpResponse<String> viewer = Http.get(env.service().resolve("api/admin/retention"), env.bearer("oauth-viewer"));
        HttpResponse<String> anonymous = Http.get(env.service().resolve("api/admin/retention"), null);
        HttpResponse<String> auditorPurge = admin("POST", "jobs/retention", "{\"reason\":\"try\"}", "oauth-auditor");
        HttpResponse<String> noReason = admin("POST", "jobs/retention", "{}", "oauth-admin");

        assertThat(viewer.statusCode()).isEqualTo(403);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(auditorPurge.statusCode()).isEqualTo(403);
        assertThat(noReason.statusCode()).isEqualTo(400);
        assertThat(Http.json(noReason).getString("error")).isEqualTo("invalid_request");
    }

    // ---------------------------------------------------------------------------------------------------------------

    private Map<String, Long> preview() {
        HttpResponse<String> answer = Http.get(env.service().resolve("api/admin/retention"), env.bearer("oauth-auditor"));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        Map<String, Long> counts = new LinkedHashMap<>();
        Http.json(answer).getJsonArray("kinds").forEach(kind -> counts.put(kind.asJsonObject().getString("kind"),
                kind.asJsonObject().getJsonNumber("count").longValue()));
        return counts;
    }

    private JsonObject purge() {
        HttpResponse<String> started = admin("POST", "jobs/retention", "{\"reason\":\"a month later\"}", "oauth-admin");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        return awaitDone(Http.json(started).getString("id"));
    }

    private JsonObject awaitDone(String id) {
        JsonObject job = eventually(() -> Http.json(Http.get(env.service().resolve("api/admin/jobs/" + id),
                env.bearer("oauth-admin"))), seen -> !"RUNNING".equals(seen.getString("state")), Duration.ofSeconds(60));
        assertThat(job.getString("state")).isEqualTo("DONE");
        return job;
    }

    private String held() {
        HttpResponse<String> created = Relays.subscribe(env.service(), URI.create("http://127.0.0.1:9/held"), List.of("*"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = Http.json(created).getJsonObject("subscription").getString("id");
        assertThat(admin("POST", "subscriptions/" + id + "/pause", "{\"reason\":\"held for the test\"}", "oauth-admin")
                .statusCode()).isEqualTo(200);
        return id;
    }

    /**
     * Every delivery of the instance's events (to any subscription), settled in {@code state} at {@code at}; a claim in
     * flight is taken away, so its node cannot settle it again.
     */
    private int age(String state, String instanceId, Instant at) {
        return db.update("UPDATE relay_delivery SET state = ?, attempts = 1, last_attempt_at = ?, claim_holder = NULL, "
                        + "claim_until = NULL, delivered_at = CASE WHEN ? = 'DELIVERED' THEN CAST(? AS TIMESTAMP WITH "
                        + "TIME ZONE) END WHERE event_seq IN (SELECT seq FROM relay_event WHERE instance_id = ?)",
                state, Timestamp.from(at), state, Timestamp.from(at), instanceId);
    }

    /** Deliveries of the instance's events not yet settled, to any subscription. */
    private int pending(String instanceId) {
        return ((Number) db.query("SELECT COUNT(*) AS n FROM relay_delivery d JOIN relay_event e ON e.seq = d.event_seq "
                + "WHERE e.instance_id = ? AND d.state = 'PENDING'", instanceId).get(0).get("n")).intValue();
    }

    private long deliveriesOf(String instanceId) {
        return ((Number) db.query("SELECT COUNT(*) AS n FROM relay_delivery d JOIN relay_event e ON e.seq = d.event_seq "
                + "WHERE e.instance_id = ?", instanceId).get(0).get("n")).longValue();
    }

    /** A bulk refresh run now, its end then moved to {@code finishedAt}, as if it had run then. */
    private String finishedJobAged(Instant finishedAt) {
        HttpResponse<String> started = admin("POST", "jobs/bulk-refresh", "{\"reason\":\"warm up\"}", "oauth-admin");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        String id = Http.json(started).getString("id");
        awaitDone(id);
        db.update("UPDATE background_job SET finished_at = ?, created_at = ? WHERE id = ?", Timestamp.from(finishedAt),
                Timestamp.from(finishedAt.minusSeconds(60)), id);
        return id;
    }

    private int webhook(String eventType, String instanceId, Instant at) {
        return wix.webhooks().post(env.webhookUrl(), wix.webhooks().sign(eventType, instanceId,
                Json.createObjectBuilder().add("appId", wix.appId()).build(), at));
    }

    private HttpResponse<String> admin(String method, String path, String body, String group) {
        return Http.send(HttpRequest.newBuilder(env.service().resolve("api/admin/" + path))
                .header("Authorization", "Bearer " + env.bearer(group)).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build());
    }
}
