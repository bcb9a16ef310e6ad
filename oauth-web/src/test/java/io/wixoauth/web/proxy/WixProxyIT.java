package io.wixoauth.web.proxy;

import io.wixoauth.simulator.Endpoint;
import io.wixoauth.simulator.Fault;
import io.wixoauth.simulator.Received;
import io.wixoauth.simulator.WixSimulator;
import io.wixoauth.web.support.BudgetMinute;
import io.wixoauth.web.support.Concurrently;
import io.wixoauth.web.support.Http;
import io.wixoauth.web.support.RawHttp;
import io.wixoauth.web.support.ServiceEnvironment;
import io.wixoauth.web.support.ServiceIT;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.wixoauth.web.support.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Wix API proxy, from a backend's side: what it sends reaches Wix as sent, with the instance's token in place of
 * the backend's own credentials, and Wix's answer comes back as Wix gave it; what Wix's 401 and 429 mean; the
 * instance's budget; who may call; and what never gets through.
 */
@ServiceIT
class WixProxyIT {

    private final ServiceEnvironment env = ServiceEnvironment.get();
    private final WixSimulator wix = env.wix();

    @Test
    void everyMethodReachesWixAsSentWithOrWithoutABodyAndWixsAnswerComesBack() throws Exception {
        String instance = wix.installApp();
        String contact = createContact(instance, "Grace", null).getJsonObject("contact").getString("id");
        String other = createContact(instance, "Alan", null).getJsonObject("contact").getString("id");
        String info = "{\"info\":{\"name\":{\"first\":\"Ada\"}}}";
        String update = "{\"revision\":1,\"info\":{\"name\":{\"first\":\"Grace\",\"last\":\"Hopper\"}}}";
        record Case(String method, String path, String body, int wixAnswers) {
        }
        List<Case> cases = List.of(
                new Case("GET", "contacts/v4/contacts", null, 200),
                new Case("GET", "contacts/v4/contacts/" + contact, null, 200),
                new Case("GET", "contacts/v4/contacts/" + contact, "{}", 200),
                new Case("POST", "contacts/v4/contacts", info, 200),
                new Case("POST", "contacts/v4/contacts", null, 400),
                new Case("PUT", "contacts/v4/contacts/" + contact, info, 405),
                new Case("PUT", "contacts/v4/contacts/" + contact, null, 405),
                new Case("PATCH", "contacts/v4/contacts/" + contact, update, 200),
                new Case("PATCH", "contacts/v4/contacts/" + contact, null, 400),
                new Case("DELETE", "contacts/v4/contacts/" + contact, null, 200),
                new Case("DELETE", "contacts/v4/contacts/" + other, "{}", 200),
                new Case("DELETE", "contacts/v4/contacts/" + other, null, 404));

        for (Case c : cases) {
            String what = c.method() + " " + c.path() + (c.body() == null ? " without a body" : " with a body");
            byte[] body = c.body() == null ? new byte[0] : c.body().getBytes(StandardCharsets.UTF_8);
            HttpResponse<String> answer = proxy(instance, c.method(), c.path(), body, "wix-caller");

            assertThat(answer.statusCode()).as(what).isEqualTo(c.wixAnswers());
            assertThat(answer.headers().firstValue("x-wix-request-id")).as(what + ": Wix's request id").isPresent();
            JsonObject json = Json.createReader(new java.io.StringReader(answer.body())).readObject();
            if (c.wixAnswers() == 200) {
                assertThat(json.containsKey("error")).as(what + ": Wix's own body").isFalse();
            } else {
                assertThat(json.getString("message")).as(what + ": Wix's error shape, not the service's").isNotBlank();
            }
            Received received = lastReceivedFor(instance);
            assertThat(received.method()).as(what).isEqualTo(c.method());
            assertThat(received.rawPath()).as(what).isEqualTo("/" + c.path());
            assertThat(received.bodyLength()).as(what).isEqualTo(body.length);
            assertThat(received.bodySha256()).as(what).isEqualTo(sha256(body));
        }
        HttpResponse<String> updated = proxy(instance, "GET", "contacts/v4/contacts?paging.limit=10&paging.offset=0",
                new byte[0], "wix-caller");
        assertThat(lastReceivedFor(instance).rawQuery()).as("the query as sent").isEqualTo("paging.limit=10&paging.offset=0");
        assertThat(Http.json(updated).getJsonObject("pagingMetadata").getInt("total")).as("two created by POST, two deleted")
                .isEqualTo(1);
    }

    @Test
    void largeBodiesStreamBothWaysAndTooLargeOnesAreRefusedBeforeWix() throws Exception {
        String instance = wix.installApp();
        String note = "x".repeat(5 * 1024 * 1024);
        byte[] body = ("{\"info\":{\"name\":{\"first\":\"Big\"},\"extendedFields\":{\"items\":{\"custom.note\":\""
                + note + "\"}}}}").getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> created = proxy(instance, "POST", "contacts/v4/contacts", body, "wix-caller");

        assertThat(created.statusCode()).isEqualTo(200);
        assertThat(lastReceivedFor(instance).bodySha256()).as("5 MiB reached Wix whole").isEqualTo(sha256(body));
        assertThat(Http.json(created).getJsonObject("contact").getJsonObject("info").getJsonObject("extendedFields")
                .getJsonObject("items").getString("custom.note")).as("and came back whole").hasSize(note.length());

        wix.seedContacts(instance, 300, 10_000);
        HttpResponse<String> page = proxy(instance, "GET", "contacts/v4/contacts?paging.limit=400", new byte[0], "wix-caller");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(Http.json(page).getJsonArray("contacts")).as("a page of 8 MB").hasSize(301);

        long before = wix.receivedTotal();
        HttpResponse<String> tooLarge = proxy(instance, "POST", "contacts/v4/contacts", new byte[10 * 1024 * 1024 + 1],
                "wix-caller");
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(Http.json(tooLarge).getString("error")).isEqualTo("payload_too_large");
        assertThat(wix.receivedTotal()).as("Wix not called").isEqualTo(before);
    }

    @Test
    void aTokenWixRefusesMidLifeIsReplacedOnceAndTheCallSentOnceMore() throws Exception {
        String instance = wix.installApp();
        assertThat(list(instance).statusCode()).isEqualTo(200);
        int tokensBefore = wix.calls(Endpoint.CREATE_ACCESS_TOKEN);

        wix.revokeAccessTokens(instance);
        List<Integer> statuses = Concurrently.run(16, () -> list(instance).statusCode());

        assertThat(statuses).as("every caller served, none told of the refusal").containsOnly(200);
        assertThat(wix.calls(Endpoint.CREATE_ACCESS_TOKEN) - tokensBefore).as("one new token for all 16").isEqualTo(1);

        // A body too large to hold is streamed, so it cannot be sent twice: the caller is asked to send it again.
        wix.revokeAccessTokens(instance);
        byte[] large = ("{\"info\":{\"name\":{\"first\":\"" + "y".repeat(2 * 1024 * 1024) + "\"}}}")
                .getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> streamed = proxy(instance, "POST", "contacts/v4/contacts", large, "wix-caller");
        assertThat(streamed.statusCode()).isEqualTo(503);
        assertThat(streamed.headers().firstValue("Retry-After")).isPresent();
        assertThat(proxy(instance, "POST", "contacts/v4/contacts", large, "wix-caller").statusCode())
                .as("sent again, with the new token").isEqualTo(200);

        // Wix refuses the new token too: given up after one more try, with the service's JSON error.
        int received = receivedFor(instance).size();
        wix.failNext(Endpoint.CONTACTS, 2, Fault.status(401));
        HttpResponse<String> refused = list(instance);
        assertThat(refused.statusCode()).isEqualTo(502);
        assertThat(Http.json(refused).getString("error")).isEqualTo("upstream_rejected");
        assertThat(receivedFor(instance).size() - received).as("the call and one retry").isEqualTo(2);
    }

    @Test
    void wixs429IsPassedOnAndTheInstanceWaitsWithoutCallingWix() {
        String instance = wix.installApp();
        assertThat(list(instance).statusCode()).isEqualTo(200);
        wix.failNext(Endpoint.CONTACTS, 1, Fault.throttled("3"));

        HttpResponse<String> throttled = list(instance);
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).contains("3");
        assertThat(Http.json(throttled).getString("message")).as("Wix's own answer").isNotBlank();

        int received = receivedFor(instance).size();
        HttpResponse<String> waiting = list(instance);
        assertThat(waiting.statusCode()).isEqualTo(429);
        assertThat(Http.json(waiting).getString("error")).as("the service's own answer").isEqualTo("rate_limited");
        assertThat(Integer.parseInt(waiting.headers().firstValue("Retry-After").orElseThrow())).isBetween(1, 3);
        assertThat(receivedFor(instance)).as("Wix not called while it asked to wait").hasSize(received);

        assertThat(eventually(() -> list(instance).statusCode() == 200, Duration.ofSeconds(6)))
                .as("called again once the wait is over").isTrue();
    }

    @Test
    void aWixThatIsDownForEveryoneIsNoLongerCalledThroughTheProxyUntilItIsBack() {
        String instance = wix.installApp();
        assertThat(list(instance).statusCode()).as("a token to call with").isEqualTo(200);
        int before = wix.calls(io.wixoauth.simulator.Endpoint.CONTACTS);
        List<HttpResponse<String>> answers = new java.util.ArrayList<>();
        wix.startOutage(Duration.ofSeconds(60), 503);
        try {
            for (int i = 0; i < 30; i++) {
                answers.add(list(instance));
            }
        } finally {
            wix.endOutage();
        }

        int reached = wix.calls(io.wixoauth.simulator.Endpoint.CONTACTS) - before;
        assertThat(reached).as("calls that reached a Wix that was down (the gate's breaker opens after 10 in a row)")
                .isBetween(1, 10);
        assertThat(answers).allSatisfy(answer -> assertThat(answer.statusCode()).isEqualTo(503));
        HttpResponse<String> stopped = answers.get(answers.size() - 1);
        assertThat(Http.json(stopped).getString("error")).as("answered by the service").isEqualTo("upstream_unavailable");
        assertThat(stopped.headers().firstValue("Retry-After")).isPresent();
        assertThat(eventually(() -> list(instance).statusCode(), status -> status == 200, Duration.ofSeconds(30)))
                .as("called again once Wix is back").isEqualTo(200);
    }

    @Test
    void theInstancesBudgetIsKeptByTheServiceItself() {
        BudgetMinute.awaitRoomInTheMinute();
        String instance = wix.installApp();
        int budget = 180; // oauth.proxy.calls-per-minute, the default
        int throttledByWix = wix.rateLimited();

        List<HttpResponse<String>> answers = Concurrently.run(8, i -> {
            List<HttpResponse<String>> mine = new java.util.ArrayList<>();
            for (int n = 0; n < 25; n++) {
                mine.add(list(instance));
            }
            return mine;
        }).stream().flatMap(List::stream).toList();

        assertThat(answers.stream().filter(a -> a.statusCode() == 200)).as("calls made").hasSize(budget);
        List<HttpResponse<String>> refused = answers.stream().filter(a -> a.statusCode() == 429).toList();
        assertThat(refused).as("refused by the service").hasSize(200 - budget);
        refused.forEach(a -> {
            assertThat(Http.json(a).getString("error")).isEqualTo("rate_limited");
            assertThat(Integer.parseInt(a.headers().firstValue("Retry-After").orElseThrow())).isBetween(1, 60);
        });
        assertThat(receivedFor(instance)).as("calls that reached Wix").hasSize(budget);
        assertThat(wix.rateLimited()).as("Wix never had to refuse one").isEqualTo(throttledByWix);
    }

    @Test
    void onlyCallersInGroupWixCallerMayCallAndAllowListsHoldThemToTheirPaths() {
        String instance = wix.installApp();
        long before = wix.receivedTotal();

        HttpResponse<String> anonymous = Http.send(HttpRequest.newBuilder(uri(instance, "apps/v1/instance")).GET().build());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        HttpResponse<String> reader = proxy(instance, "GET", "apps/v1/instance", new byte[0], "token-reader");
        assertThat(reader.statusCode()).as("a token reader may not call Wix through the service").isEqualTo(403);
        assertThat(Http.json(reader).getString("error")).isEqualTo("forbidden");
        HttpResponse<String> crmOnly = proxy(instance, "GET", "apps/v1/instance", new byte[0], "wix-caller", "crm-sync");
        assertThat(crmOnly.statusCode()).as("outside crm-sync's allow-list").isEqualTo(403);
        assertThat(Http.json(crmOnly).getString("error")).isEqualTo("path_not_allowed");
        HttpResponse<String> contactsOnly = proxy(instance, "GET", "contacts/v40/contacts", new byte[0], "wix-caller", "crm-sync");
        assertThat(contactsOnly.statusCode()).as("a prefix is a whole segment").isEqualTo(403);
        assertThat(wix.receivedTotal()).as("Wix not called").isEqualTo(before);

        assertThat(proxy(instance, "GET", "contacts/v4/contacts", new byte[0], "wix-caller", "crm-sync").statusCode())
                .isEqualTo(200);
        assertThat(proxy(instance, "GET", "apps/v1/instance", new byte[0], "wix-caller").statusCode())
                .as("no allow-list for wix-caller alone").isEqualTo(200);
    }

    @Test
    void theCallersCredentialsAndHeadersNeverReachWixAndWixsCookiesNeverComeBack() {
        String instance = wix.installApp();
        String bearer = env.bearer("wix-caller");
        HttpResponse<String> answer = Http.send(HttpRequest.newBuilder(uri(instance, "contacts/v4/contacts"))
                .header("Authorization", "Bearer " + bearer)
                .header("Cookie", "session=backend-secret")
                .header("X-Forwarded-For", "10.0.0.1")
                .header("Forwarded", "for=10.0.0.1")
                .header("X-Internal-Tenant", "acme")
                .header("Accept", "application/json")
                .header("Accept-Language", "de")
                .header("X-Wix-Consistent", "abc")
                .GET().build());

        assertThat(answer.statusCode()).isEqualTo(200);
        Received received = lastReceivedFor(instance);
        assertThat(received.header("authorization")).hasSize(1);
        String token = received.header("authorization").get(0);
        assertThat(token).as("the instance's token, as Wix expects it").doesNotStartWith("Bearer").isNotEqualTo(bearer);
        assertThat(wix.instanceOfAccessToken(token)).contains(instance);
        for (String never : List.of("cookie", "x-forwarded-for", "forwarded", "x-internal-tenant")) {
            assertThat(received.header(never)).as(never).isEmpty();
        }
        assertThat(received.header("accept")).containsExactly("application/json");
        assertThat(received.header("accept-language")).containsExactly("de");
        assertThat(received.header("x-wix-consistent")).containsExactly("abc");

        assertThat(answer.headers().allValues("set-cookie")).as("Wix's cookies stay with Wix").isEmpty();
        assertThat(answer.headers().firstValue("x-wix-request-id")).isPresent();
        String everything = answer.headers().map() + answer.body();
        assertThat(wix.issuedSecrets()).allSatisfy(secret -> assertThat(everything).doesNotContain(secret));
    }

    @Test
    void hostilePathsAreRefusedWithoutReachingWix() {
        String instance = wix.installApp();
        assertThat(list(instance).statusCode()).isEqualTo(200);
        String bearer = env.bearer("wix-caller");
        String base = "/api/v1/instances/" + instance + "/wix/";
        Map<String, String> paths = new LinkedHashMap<>();
        paths.put("traversal", base + "contacts/v4/../../oauth2/token");
        paths.put("encoded traversal", base + "contacts/v4/%2e%2e/%2E%2E/oauth2/token");
        paths.put("double-encoded traversal", base + "contacts/v4/%252e%252e/x");
        paths.put("overlong UTF-8 dot", base + "contacts/v4/%c0%ae%c0%ae/x");
        paths.put("encoded slash", base + "contacts%2Fv4%2Fcontacts");
        paths.put("encoded backslash", base + "contacts%5Cv4");
        paths.put("absolute URL", base + "http://evil.example/x");
        paths.put("scheme-relative URL", base + "/evil.example/x");
        paths.put("encoded absolute URL", base + "https:%2F%2Fevil.example");
        paths.put("encoded CR/LF", base + "contacts/v4/contacts%0d%0aX-Injected:%201");
        paths.put("encoded NUL", base + "contacts/v4/contacts%00");
        paths.put("path parameter", base + "contacts;x=1/v4");
        paths.put("no path", base);
        paths.put("malformed escape", base + "contacts/%zz");
        paths.put("too long", base + "a/".repeat(1100) + "b");
        long before = wix.receivedTotal();

        paths.forEach((what, path) -> {
            RawHttp.Answer answer = RawHttp.send(env.service(), "GET " + path + " HTTP/1.1\r\nAuthorization: Bearer "
                    + bearer + "\r\n", new byte[0]);
            assertThat(answer.header("x-wix-request-id")).as(what + ": no answer of Wix's").isNull();
            if (answer.header("x-request-id") != null) {
                assertThat(answer.status()).as(what).isBetween(400, 499);
                assertThat(answer.body()).as(what + ": the JSON error shape").contains("\"error\":");
            } else {
                // Payara's HTTP layer answered before the application, with no body: "400 Invalid URI" for overlong
                // UTF-8, and (a Payara 6.2025.10 oddity) "200" for a malformed escape. Neither reached the service.
                assertThat(answer.body()).as(what).isEmpty();
            }
        });
        List<Received> latest = wix.received();
        assertThat(wix.receivedTotal()).as("Wix never reached: %s", latest.subList(Math.max(0, latest.size() - 3),
                latest.size()).stream().map(r -> r.method() + " " + r.rawPath()).toList()).isEqualTo(before);

        // A raw CR/LF ends the request line: Payara reads "GET .../wix/contacts" and takes the rest as the caller's
        // own header, which is not one the proxy passes on. Whatever it makes of it, nothing injected reaches Wix.
        RawHttp.Answer crlf = RawHttp.send(env.service(), "GET " + base + "contacts\r\nX-Injected: 1 HTTP/1.1\r\n"
                + "Authorization: Bearer " + bearer + "\r\n", new byte[0]);
        assertThat(crlf.headers()).as("nothing planted in the answer").doesNotContainKey("x-injected");
        assertThat(wix.received()).as("nothing planted in what Wix received")
                .noneMatch(r -> !r.header("x-injected").isEmpty() || r.rawPath().contains("\r") || r.rawPath().contains("\n"));
    }

    @Test
    void everyCallIsAuditedAndMeasuredWithoutItsQuery() {
        String instance = wix.installApp();
        assertThat(list(instance).statusCode()).isEqualTo(200);
        wix.failNext(Endpoint.CONTACTS, 1, Fault.delay(Duration.ofMillis(60)));
        HttpResponse<String> answer = proxy(instance, "GET", "contacts/v4/contacts?paging.limit=1", new byte[0], "wix-caller");
        String requestId = answer.headers().firstValue("X-Request-Id").orElseThrow();

        List<JsonObject> entries = eventually(() -> Http.jsonArray(Http.get(env.service().resolve(
                                "api/admin/audit?action=wix.called&instanceId=" + instance + "&cursor=0&limit=50"),
                        env.bearer("oauth-auditor"))).stream().map(v -> v.asJsonObject())
                        .filter(e -> requestId.equals(e.getString("requestId", null))).toList(),
                found -> !found.isEmpty(), Duration.ofSeconds(10));
        assertThat(entries).as("one entry for the call").hasSize(1);
        JsonObject entry = entries.get(0);
        assertThat(entry.getString("outcome")).isEqualTo("200");
        assertThat(entry.getString("details")).startsWith("GET /contacts/v4/contacts x-wix-request-id=")
                .contains(answer.headers().firstValue("x-wix-request-id").orElseThrow())
                .doesNotContain("paging");
        assertThat(entry.getString("actor")).isNotBlank();
        assertThat(entry.getString("appId")).as("the installation's app, though the path named none")
                .isEqualTo(wix.appId());

        String metrics = Http.get(env.service().resolve("metrics?scope=application"), null).body();
        assertThat(metric(metrics, "oauth_wix_calls_total", "app=\"" + wix.appId() + "\"", "api=\"contacts/v4\"",
                "status=\"200\"")).isPositive();
        assertThat(metric(metrics, "oauth_wix_call_duration_milliseconds_count", "api=\"contacts/v4\"")).isPositive();
        assertThat(metric(metrics, "oauth_wix_call_duration_milliseconds_max", "api=\"contacts/v4\""))
                .as("milliseconds (Wix took 60), not seconds or nanoseconds").isBetween(60.0, 30_000.0);
    }

    /**
     * Wix sends its status and the start of its answer, then nothing: the caller's request ends once the answer has
     * been silent for {@code oauth.proxy.timeout} (3 s in these tests), holding no thread longer, and other callers
     * are served meanwhile. The caller can tell the answer broke off, never reading a complete-looking body: a 503
     * when none of it had left the service yet, a broken connection when part of it had (more than the response
     * buffer).
     */
    @Test
    void anAnswerWixStopsSendingIsCutOffAndTheCallerCanTell() throws Exception {
        String instance = wix.installApp();
        assertThat(list(instance).statusCode()).isEqualTo(200); // the token is cached: only the body can stall

        wix.failNext(Endpoint.CONTACTS, 1, Fault.stall(Duration.ofSeconds(20)));
        Stalled small = stalledCall(instance);
        assertThat(small.failure()).as("a short start of an answer").isNull();
        assertThat(small.answer().statusCode()).isEqualTo(503);
        assertThat(Http.json(small.answer()).getString("error")).isEqualTo("upstream_unavailable");
        assertThat(small.took()).isBetween(Duration.ofSeconds(3), Duration.ofSeconds(15));

        wix.failNext(Endpoint.CONTACTS, 1, Fault.stall(Duration.ofSeconds(20), 256 * 1024));
        Stalled large = stalledCall(instance);
        assertThat(large.failure()).as("what the caller got of a long start: %s", large.answer() == null ? null
                : large.answer().statusCode() + " " + large.answer().body().strip()).isInstanceOf(java.io.IOException.class);
        assertThat(large.took()).isBetween(Duration.ofSeconds(3), Duration.ofSeconds(15));
        assertThat(list(instance).statusCode()).as("the next call").isEqualTo(200);
    }

    private record Stalled(HttpResponse<String> answer, Throwable failure, Duration took) {
    }

    /** A list call whose answer Wix stalls, while another caller lists meanwhile. */
    private Stalled stalledCall(String instance) throws Exception {
        long started = System.nanoTime();
        HttpRequest request = HttpRequest.newBuilder(uri(instance, "contacts/v4/contacts"))
                .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + env.bearer("wix-caller")).build();
        int before = wix.calls(Endpoint.CONTACTS);
        var pending = Http.client().sendAsync(request, HttpResponse.BodyHandlers.ofString());
        assertThat(eventually(() -> wix.calls(Endpoint.CONTACTS) > before)).as("the stalled call reached Wix").isTrue();
        assertThat(list(instance).statusCode()).as("another caller, meanwhile").isEqualTo(200);
        try {
            HttpResponse<String> answer = pending.get(30, java.util.concurrent.TimeUnit.SECONDS);
            return new Stalled(answer, null, Duration.ofNanos(System.nanoTime() - started));
        } catch (java.util.concurrent.ExecutionException e) {
            return new Stalled(null, e.getCause(), Duration.ofNanos(System.nanoTime() - started));
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    private HttpResponse<String> list(String instance) {
        return proxy(instance, "GET", "contacts/v4/contacts", new byte[0], "wix-caller");
    }

    private JsonObject createContact(String instance, String name, String email) {
        HttpResponse<String> created = proxy(instance, "POST", "contacts/v4/contacts", ("{\"info\":{\"name\":{\"first\":\""
                + name + "\"}}}").getBytes(StandardCharsets.UTF_8), "wix-caller");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        return Http.json(created);
    }

    private HttpResponse<String> proxy(String instance, String method, String path, byte[] body, String... groups) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(instance, path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + env.bearer(groups))
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (body.length > 0) {
            request.header("Content-Type", "application/json");
        }
        return Http.send(request.build());
    }

    private URI uri(String instance, String path) {
        return env.service().resolve("api/v1/instances/" + instance + "/wix/" + path);
    }

    /** What reached Wix with one of the instance's tokens. */
    private List<Received> receivedFor(String instance) {
        return wix.receivedFor(instance);
    }

    private Received lastReceivedFor(String instance) {
        List<Received> received = receivedFor(instance);
        assertThat(received).as("requests Wix received for " + instance).isNotEmpty();
        return received.get(received.size() - 1);
    }

    /** A metric's value summed over the lines that carry every one of {@code tags}. */
    private static double metric(String metrics, String name, String... tags) {
        return metrics.lines().filter(line -> line.startsWith(name + "{"))
                .filter(line -> java.util.Arrays.stream(tags).allMatch(line::contains))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    private static String sha256(byte[] body) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    }
}
