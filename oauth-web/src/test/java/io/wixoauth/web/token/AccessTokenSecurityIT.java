package io.wixoauth.web.token;

import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import io.wixoauth.simulator.Endpoint;
import io.wixoauth.simulator.IdentityProvider;
import io.wixoauth.web.support.Http;
import io.wixoauth.web.support.ServiceEnvironment;
import io.wixoauth.web.support.ServiceIT;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.wixoauth.web.support.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/** The token API is never open to anonymous callers or to the wrong ones (MicroProfile JWT, group token-reader). */
@ServiceIT
class AccessTokenSecurityIT {

    @ArquillianResource
    URL base;

    private final ServiceEnvironment env = ServiceEnvironment.get();

    @Test
    void refusesEveryCallerWithoutAValidTokenAsUnauthorized() {
        IdentityProvider stranger = IdentityProvider.generate();
        IdentityProvider idp = env.idp();
        Map<String, String> bearers = new LinkedHashMap<>();
        bearers.put("garbage", "abc.def.ghi");
        bearers.put("signed by another key", stranger.issue("backend", List.of("token-reader"), java.time.Duration.ofMinutes(5)));
        bearers.put("expired", idp.sign(idp.claims("backend", List.of("token-reader"))
                .issueTime(Date.from(Instant.now().minusSeconds(7200)))
                .expirationTime(Date.from(Instant.now().minusSeconds(3600))).build()));
        bearers.put("wrong issuer", idp.sign(idp.claims("backend", List.of("token-reader")).issuer("https://evil.example").build()));
        bearers.put("wrong audience", idp.sign(idp.claims("backend", List.of("token-reader")).audience("someone-else").build()));
        bearers.put("alg none", unsigned(idp.claims("backend", List.of("token-reader")).build()));
        int before = env.wix().calls(Endpoint.CREATE_ACCESS_TOKEN);
        String instanceId = env.wix().installApp();

        HttpResponse<String> none = Http.get(tokenUri(instanceId), null);
        assertUnauthorized(none, "no token");
        assertThat(none.headers().firstValue("WWW-Authenticate")).as("no token: nothing to call invalid").contains("Bearer");
        bearers.forEach((what, bearer) -> {
            HttpResponse<String> refused = Http.get(tokenUri(instanceId), bearer);
            assertUnauthorized(refused, what);
            // RFC 6750 section 3: the backend learns its token, not its request, is what failed.
            assertThat(refused.headers().firstValue("WWW-Authenticate")).as(what).contains("Bearer error=\"invalid_token\"");
        });
        assertThat(env.wix().calls(Endpoint.CREATE_ACCESS_TOKEN)).as("Wix never called").isEqualTo(before);
    }

    @Test
    void refusesATokenThatIsNotValidYet() {
        IdentityProvider idp = env.idp();
        Instant inAnHour = Instant.now().plusSeconds(3600);
        Map<String, String> bearers = new LinkedHashMap<>();
        bearers.put("nbf in an hour", idp.sign(idp.claims("backend", List.of("token-reader"))
                .notBeforeTime(Date.from(inAnHour)).build()));
        bearers.put("iat in an hour", idp.sign(idp.claims("backend", List.of("token-reader"))
                .issueTime(Date.from(inAnHour)).expirationTime(Date.from(inAnHour.plusSeconds(600))).build()));
        String instanceId = env.wix().installApp();
        int before = env.wix().calls(Endpoint.CREATE_ACCESS_TOKEN);

        bearers.forEach((what, bearer) -> assertUnauthorized(Http.get(tokenUri(instanceId), bearer), what));
        assertThat(env.wix().calls(Endpoint.CREATE_ACCESS_TOKEN)).as("Wix never called").isEqualTo(before);
        assertThat(Http.get(tokenUri(instanceId), idp.sign(idp.claims("backend", List.of("token-reader"))
                .notBeforeTime(Date.from(Instant.now().minusSeconds(5))).build())).statusCode())
                .as("a token valid since a moment ago").isEqualTo(200);
    }

    @Test
    void aFloodOfGarbageBearerTokensDoesNotFloodTheLog() throws Exception {
        String instanceId = env.wix().installApp();
        long logBefore = logSize();

        for (int i = 0; i < 100; i++) {
            assertUnauthorized(Http.get(tokenUri(instanceId), "garbage." + i + ".token"), "garbage " + i);
        }

        assertThat(logSize() - logBefore).as("bytes logged for 100 refused tokens").isLessThan(20_000);
    }

    private long logSize() throws java.io.IOException {
        return env.serverLogs().values().stream().mapToLong(String::length).sum();
    }

    @Test
    void aRotatedKeyVerifiesAtOnceAndAWithdrawnOneNoLongerDoesEvenForATokenAlreadyAccepted() {
        String instanceId = env.wix().installApp();
        String signedByTheOldKey = env.bearer("token-reader");
        assertThat(Http.get(tokenUri(instanceId), signedByTheOldKey).statusCode()).as("before the rotation").isEqualTo(200);
        IdentityProvider rotated = IdentityProvider.generate();
        String signedByTheNewKey = rotated.issue("backend", List.of("token-reader"), java.time.Duration.ofMinutes(5));
        try {
            env.wix().publishIdentityProviderKeys(env.idp(), rotated); // the provider rotates: both keys published

            assertThat(eventually(() -> Http.get(tokenUri(instanceId), signedByTheNewKey).statusCode() == 200,
                    java.time.Duration.ofSeconds(10))).as("a token signed by the new key").isTrue();
            assertThat(Http.get(tokenUri(instanceId), signedByTheOldKey).statusCode()).as("the old key, still published")
                    .isEqualTo(200);

            env.wix().publishIdentityProviderKeys(rotated); // the old key withdrawn
            assertThat(eventually(() -> Http.get(tokenUri(instanceId), signedByTheOldKey).statusCode() == 401,
                    java.time.Duration.ofSeconds(15))).as("a remembered token of the withdrawn key").isTrue();
            assertUnauthorized(Http.get(tokenUri(instanceId), signedByTheOldKey), "withdrawn key");
            assertThat(Http.get(tokenUri(instanceId), signedByTheNewKey).statusCode()).as("the new key").isEqualTo(200);
        } finally {
            env.wix().publishIdentityProviderKeys(env.idp());
            assertThat(eventually(() -> Http.get(tokenUri(instanceId), env.bearer("token-reader")).statusCode() == 200,
                    java.time.Duration.ofSeconds(15))).as("the environment's key back for the next tests").isTrue();
        }
    }

    @Test
    void refusesAValidTokenWithoutTheTokenReaderGroupAsForbidden() {
        HttpResponse<String> response = Http.get(tokenUri(env.wix().installApp()), env.bearer("oauth-viewer"));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(Http.json(response).getString("error")).isEqualTo("forbidden");
    }

    @Test
    void servesAValidTokenInTheTokenReaderGroup() {
        assertThat(Http.get(tokenUri(env.wix().installApp()), env.bearer("token-reader")).statusCode()).isEqualTo(200);
    }

    private static void assertUnauthorized(HttpResponse<String> response, String what) {
        assertThat(response.statusCode()).as(what).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).as(what).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(Http.json(response).getString("error")).as(what).isEqualTo("unauthorized");
        assertThat(response.body()).as(what).doesNotContainIgnoringCase("signature").doesNotContain("Exception");
    }

    private static String unsigned(JWTClaimsSet claims) {
        String header = Base64URL.encode("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)).toString();
        String payload = Base64URL.encode(claims.toString().getBytes(StandardCharsets.UTF_8)).toString();
        return header + "." + payload + ".";
    }

    private URI tokenUri(String instanceId) {
        return URI.create(base + "api/v1/instances/" + instanceId + "/access-token");
    }
}
