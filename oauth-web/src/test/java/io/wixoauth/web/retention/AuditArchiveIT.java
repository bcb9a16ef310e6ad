package io.wixoauth.web.retention;

import io.wixoauth.simulator.WixSimulator;
import io.wixoauth.simulator.demo.PayaraMicroProcess;
import io.wixoauth.web.support.Http;
import io.wixoauth.web.support.ServiceDatabase;
import io.wixoauth.web.support.ServiceEnvironment;
import io.wixoauth.web.support.ServiceIT;
import io.wixoauth.web.support.ServiceNodes;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;

import static io.wixoauth.web.support.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit trail archived, not just deleted (issue 25), on a node of its own with a database of its own (its chain
 * is archived whole, which the other tests' shared chain must not be): entries past {@code oauth.retention.audit} are
 * written to a sealed file under {@code oauth.audit.archive-dir} and leave the database; {@code verify} then says the
 * chain is intact and anchored by that file; the file verifies on its own, and a changed line in it is found.
 */
@ServiceIT
class AuditArchiveIT {

    private final ServiceEnvironment env = ServiceEnvironment.get();
    private final WixSimulator wix = env.wix();

    @Test
    void entriesPastTheHorizonAreArchivedToASealedFileAndTheChainVerifiesAnchoredByIt() throws Exception {
        ServiceDatabase db = env.database().fresh();
        Path archives = ServiceNodes.itDir().resolve("archives-" + UUID.randomUUID());
        Properties config = ServiceNodes.config();
        db.settings().forEach(config::setProperty);
        config.setProperty("oauth.audit.archive-dir", archives.toString());
        config.setProperty("oauth.retention.audit", "PT5S");
        try (PayaraMicroProcess node = ServiceNodes.start(ServiceNodes.itDir().resolve("archive-node"),
                ServiceNodes.freePort(), config)) {
            URI base = node.baseUrl();
            List<String> sites = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String site = wix.installApp();
                sites.add(site);
                assertThat(wix.webhooks().post(base.resolve("/webhooks/wix"), wix.webhooks().sign("AppInstalled", site,
                        Json.createObjectBuilder().add("appId", wix.appId()).build(), Instant.now()))).isEqualTo(200);
                assertThat(Http.get(base.resolve("/api/v1/instances/" + site + "/access-token"),
                        env.bearer("token-reader")).statusCode()).isEqualTo(200);
            }
            // The reads' summaries are written a second after their 2 s interval; then everything ages past 5 s.
            assertThat(eventually(() -> count(db, "action = 'token.served'"), n -> n >= 3, Duration.ofSeconds(10)))
                    .isEqualTo(3);
            Thread.sleep(6_000);
            long written = count(db, "1 = 1");

            long previewed = Http.json(Http.get(base.resolve("/api/admin/retention"), env.bearer("oauth-auditor")))
                    .getJsonArray("kinds").stream().map(k -> k.asJsonObject())
                    .filter(k -> k.getString("kind").equals("auditEntries")).findFirst().orElseThrow()
                    .getJsonNumber("count").longValue();
            HttpResponse<String> started = Http.send(HttpRequest.newBuilder(base.resolve("/api/admin/jobs/retention"))
                    .header("Authorization", "Bearer " + env.bearer("oauth-admin"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"a year later\"}")).build());
            assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
            JsonObject job = eventually(() -> Http.json(Http.get(base.resolve("/api/admin/jobs/"
                            + Http.json(started).getString("id")), env.bearer("oauth-admin"))),
                    seen -> "DONE".equals(seen.getString("state")), Duration.ofSeconds(60));

            assertThat(previewed).isEqualTo(written).isGreaterThanOrEqualTo(6);
            assertThat(job.getString("detail")).endsWith("auditEntries=" + written);
            List<Path> files;
            try (Stream<Path> listed = Files.list(archives)) {
                files = listed.sorted().toList();
            }
            String name = String.format("audit-%012d-%012d.ndjson", 1, written);
            assertThat(files).extracting(f -> f.getFileName().toString()).containsExactly(name);
            assertThat(count(db, "seq <= " + written)).as("archived entries leave the database").isZero();
            assertThat(count(db, "seq > " + written)).as("younger ones (the purge's own) stay").isPositive();

            JsonObject verified = Http.json(Http.get(base.resolve("/api/admin/audit/verify"), env.bearer("oauth-auditor")));
            assertThat(verified.getBoolean("intact")).as(verified.toString()).isTrue();
            assertThat(verified.getString("anchoredBy")).isEqualTo(name);

            String file = Files.readString(files.get(0));
            JsonObject alone = verifyArchive(base, file);
            assertThat(alone.getBoolean("intact")).as(alone.toString()).isTrue();
            assertThat(alone.getJsonNumber("entriesChecked").longValue()).isEqualTo(written);
            assertThat(alone.getJsonNumber("lastSeq").longValue()).isEqualTo(written);

            String[] lines = file.split("\n");
            lines[2] = lines[2].replace("\"actor\":\"wix\"", "\"actor\":\"someone\"");
            JsonObject changed = verifyArchive(base, String.join("\n", lines) + "\n");
            assertThat(changed.getBoolean("intact")).isFalse();
            assertThat(changed.getJsonNumber("firstBrokenLine").longValue()).isEqualTo(3);
            assertThat(changed.getString("problem")).isEqualTo("entry 2 was changed after it was written");

            HttpResponse<String> viewer = Http.send(HttpRequest.newBuilder(base.resolve("/api/admin/audit/archives/verify"))
                    .header("Authorization", "Bearer " + env.bearer("oauth-viewer"))
                    .header("Content-Type", "application/x-ndjson")
                    .POST(HttpRequest.BodyPublishers.ofString(file)).build());
            assertThat(viewer.statusCode()).isEqualTo(403);
        }
    }

    @Test
    void anArchiveDirectoryTheServiceCannotWriteStopsStartUpNamingTheSetting() throws Exception {
        Path readOnly = Files.createDirectories(ServiceNodes.itDir().resolve("read-only-" + UUID.randomUUID()));
        Path file = Files.writeString(readOnly.resolve("not-a-directory"), "x");
        Properties config = ServiceNodes.config();
        config.setProperty("oauth.audit.archive-dir", file.toString());

        String refusal = ServiceNodes.refusedStart(ServiceNodes.itDir().resolve("archive-refused"),
                ServiceNodes.freePort(), config, "oauth.audit.archive-dir");

        assertThat(refusal).contains("Setting oauth.audit.archive-dir names a directory the service cannot write");
    }

    private static long count(ServiceDatabase db, String where) {
        return ((Number) db.query("SELECT COUNT(*) AS n FROM audit_entry WHERE " + where).get(0).get("n")).longValue();
    }

    private JsonObject verifyArchive(URI base, String file) {
        HttpResponse<String> answer = Http.send(HttpRequest.newBuilder(base.resolve("/api/admin/audit/archives/verify"))
                .header("Authorization", "Bearer " + env.bearer("oauth-auditor"))
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(file)).build());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return Http.json(answer);
    }
}
