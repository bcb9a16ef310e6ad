package io.wixoauth.web.audit;

import io.wixoauth.simulator.WixSimulator;
import io.wixoauth.web.support.Http;
import io.wixoauth.web.support.ServiceDatabase;
import io.wixoauth.web.support.ServiceEnvironment;
import io.wixoauth.web.support.ServiceIT;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.wixoauth.web.support.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Token reads accounted for without a row per read (issue 25), on the database the ITs run on (PostgreSQL, and H2 in
 * CI's second pass): reads by three callers of five instances give one {@code token.served} entry per caller,
 * instance and interval ({@code oauth.audit.read-interval} is 2 s here) whose counts add up to exactly the reads
 * served; and a database outage during reads loses no count.
 */
@ServiceIT
class ReadSummaryIT {

    private static final long INTERVAL_MILLIS = 2_000;

    private final ServiceEnvironment env = ServiceEnvironment.get();
    private final WixSimulator wix = env.wix();
    private final ServiceDatabase db = env.database();

    @AfterEach
    void databaseBack() {
        db.restore();
    }

    @Test
    void readsByThreeCallersOfFiveInstancesAreSummedUpPerCallerInstanceAndIntervalExactly() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> instances = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            instances.add(wix.installApp());
            assertThat(env.accessToken(instances.get(i)).statusCode()).isEqualTo(200); // warm: no Wix call below
        }
        Map<String, Integer> expected = new HashMap<>();
        // Just after an interval begins, so the reads most likely share it; the check holds across a boundary too.
        Thread.sleep(INTERVAL_MILLIS - System.currentTimeMillis() % INTERVAL_MILLIS + 50);
        for (int c = 1; c <= 3; c++) {
            String caller = "reader-" + c + "-" + run;
            String bearer = env.bearerOf(caller, "token-reader");
            for (String instance : instances) {
                for (int i = 0; i < c; i++) { // caller 1 reads each instance once, caller 2 twice, caller 3 three times
                    assertThat(Http.get(env.tokenUri(instance), bearer).statusCode()).isEqualTo(200);
                }
                expected.put(caller + " " + instance, c);
            }
        }

        Map<String, Integer> counted = eventually(() -> counts(run), found -> found.equals(expected),
                Duration.ofSeconds(10));

        assertThat(counted).isEqualTo(expected);
        List<JsonObject> entries = entries(run);
        Set<String> pairWindows = new HashSet<>();
        for (JsonObject entry : entries) {
            JsonObject details = Http.json(entry.getString("details"));
            String[] window = details.getString("interval").split("/");
            Instant start = Instant.parse(window[0]);
            assertThat(Duration.parse(window[1])).isEqualTo(Duration.ofMillis(INTERVAL_MILLIS));
            assertThat(Instant.parse(details.getString("firstAt"))).isBetween(start, start.plusMillis(INTERVAL_MILLIS));
            assertThat(Instant.parse(details.getString("lastAt"))).isBetween(Instant.parse(details.getString("firstAt")),
                    start.plusMillis(INTERVAL_MILLIS));
            assertThat(entry.getString("outcome")).isEqualTo("client_credentials");
            assertThat(pairWindows.add(entry.getString("actor") + " " + entry.getString("instanceId") + " " + start))
                    .as("one entry per caller, instance and interval").isTrue();
        }
        assertThat(entries.size()).as("one entry per caller and instance, and one more at most where an interval "
                + "ended during its reads").isBetween(15, 30);
    }

    @Test
    void readsServedWhileTheDatabaseIsAwayAreCountedOnceItIsBack() throws Exception {
        String caller = "outage-reader-" + UUID.randomUUID().toString().substring(0, 8);
        String bearer = env.bearerOf(caller, "token-reader");
        String instance = wix.installApp();
        int served = 0;
        served += Http.get(env.tokenUri(instance), bearer).statusCode() == 200 ? 1 : 0;

        db.cutOff();
        Instant until = Instant.now().plusSeconds(6); // three intervals: each one's summary is refused
        while (Instant.now().isBefore(until)) {
            HttpResponse<String> read = Http.get(env.tokenUri(instance), bearer);
            served += read.statusCode() == 200 ? 1 : 0;
            Thread.sleep(50);
        }
        db.restore();
        served += Http.get(env.tokenUri(instance), bearer).statusCode() == 200 ? 1 : 0;

        int expected = served;
        assertThat(expected).as("reads served from memory during the outage").isGreaterThan(20);
        Map<String, Integer> counted = eventually(() -> countsOf(caller), found -> found.values().stream()
                .mapToInt(Integer::intValue).sum() >= expected, Duration.ofSeconds(60));
        assertThat(counted).isEqualTo(Map.of(caller + " " + instance, expected));
        assertThat(Http.json(Http.get(env.service().resolve("api/admin/audit/verify"), env.bearer("oauth-auditor")))
                .getBoolean("intact")).isTrue();
    }

    private Map<String, Integer> counts(String run) {
        Map<String, Integer> counts = new HashMap<>();
        for (JsonObject entry : entries(run)) {
            counts.merge(entry.getString("actor") + " " + entry.getString("instanceId"),
                    Http.json(entry.getString("details")).getInt("count"), Integer::sum);
        }
        return counts;
    }

    private Map<String, Integer> countsOf(String caller) {
        Map<String, Integer> counts = new HashMap<>();
        for (JsonObject entry : page("actor=" + caller)) {
            counts.merge(entry.getString("actor") + " " + entry.getString("instanceId"),
                    Http.json(entry.getString("details")).getInt("count"), Integer::sum);
        }
        return counts;
    }

    private List<JsonObject> entries(String run) {
        List<JsonObject> mine = new ArrayList<>();
        for (int c = 1; c <= 3; c++) {
            mine.addAll(page("actor=reader-" + c + "-" + run));
        }
        return mine;
    }

    private List<JsonObject> page(String filter) {
        URI uri = env.service().resolve("api/admin/audit?action=token.served&" + filter + "&cursor=0&limit=500");
        return Http.jsonArray(Http.get(uri, env.bearer("oauth-auditor"))).stream().map(v -> v.asJsonObject()).toList();
    }
}
