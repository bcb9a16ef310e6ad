package io.wixoauth.core.wix;

import io.wixoauth.api.error.UpstreamRejectedException;
import io.wixoauth.api.error.UpstreamThrottledException;
import io.wixoauth.api.error.UpstreamUnavailableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WixAnswerTest {

    private static final String APP = "8f2a1c3e-1111-4222-8333-944445555666";
    private static final String INSTANCE = "0b7e9d10-aaaa-4bbb-8ccc-9ddddeeeeeee";

    @Test
    void tokenInfoConfirmsALiveTokenOfThisAppOnThisInstanceWithActiveAsAStringOrABoolean() {
        String asDocumented = "{\"active\":\"true\",\"clientId\":\"" + APP + "\",\"instanceId\":\"" + INSTANCE + "\"}";
        String asTheSdkReads = "{\"active\":true,\"clientId\":\"" + APP.toUpperCase() + "\",\"instanceId\":\"" + INSTANCE + "\"}";

        assertThat(new WixAnswer(200, asDocumented, null).toTokenInfo().confirms(APP, INSTANCE)).isTrue();
        assertThat(new WixAnswer(200, asTheSdkReads, null).toTokenInfo().confirms(APP, INSTANCE.toUpperCase())).isTrue();
    }

    @Test
    void tokenInfoConfirmsNothingForAnotherInstanceAnotherAppAnInactiveTokenOrMissingFields() {
        String other = "0b7e9d10-aaaa-4bbb-8ccc-000000000000";
        for (String body : new String[]{
                "{\"active\":\"true\",\"clientId\":\"" + APP + "\",\"instanceId\":\"" + other + "\"}",
                "{\"active\":\"true\",\"clientId\":\"" + other + "\",\"instanceId\":\"" + INSTANCE + "\"}",
                "{\"active\":\"false\",\"clientId\":\"" + APP + "\",\"instanceId\":\"" + INSTANCE + "\"}",
                "{\"active\":\"yes\",\"clientId\":\"" + APP + "\",\"instanceId\":\"" + INSTANCE + "\"}",
                "{\"active\":true,\"instanceId\":\"" + INSTANCE + "\"}",
                "{\"active\":true,\"clientId\":\"" + APP + "\"}",
                "{\"active\":false}"}) {
            assertThat(new WixAnswer(200, body, null).toTokenInfo().confirms(APP, INSTANCE)).as(body).isFalse();
        }
    }

    @Test
    void onlyInvalidClientRefusesTheAppRatherThanTheRequest() {
        assertThat(new WixAnswer(401, "{\"error\":\"invalid_client\"}", null).refusesClient()).isTrue();
        assertThat(new WixAnswer(400, "{\"error\":\"invalid_client\",\"error_description\":\"x\"}", null)
                .refusesClient()).isTrue();
        assertThat(new WixAnswer(400, "{\"error\":\"invalid_grant\"}", null).refusesClient()).isFalse();
        assertThat(new WixAnswer(401, "{\"message\":\"no\"}", null).refusesClient()).isFalse();
        assertThat(new WixAnswer(503, "{\"error\":\"invalid_client\"}", null).refusesClient()).isFalse();
        assertThat(new WixAnswer(200, "{\"access_token\":\"t\"}", null).refusesClient()).isFalse();
    }

    @Test
    void readsTokenAndLifetime() {
        WixToken token = new WixAnswer(200, "{\"access_token\":\"tok\",\"token_type\":\"Bearer\",\"expires_in\":14400}", "r1")
                .toClientCredentialsToken();
        assertThat(token.accessToken().reveal()).isEqualTo("tok");
        assertThat(token.expiresIn()).isEqualTo(Duration.ofHours(4));
    }

    @Test
    void acceptsLifetimeAsAStringAndFallsBackToTheDocumentedOne() {
        assertThat(new WixAnswer(200, "{\"access_token\":\"t\",\"expires_in\":\"300\"}", null).toClientCredentialsToken()
                .expiresIn()).isEqualTo(Duration.ofMinutes(5));
        assertThat(new WixAnswer(200, "{\"access_token\":\"t\"}", null).toClientCredentialsToken().expiresIn())
                .isEqualTo(Duration.ofHours(4));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not json", "[]", "{\"access_token\":\"\"}", "{\"access_token\":42}", "{\"token_type\":\"Bearer\"}"})
    void anUnreadableSuccessIsTransient(String body) {
        assertThatThrownBy(() -> new WixAnswer(200, body, null).toClientCredentialsToken())
                .isInstanceOf(UpstreamUnavailableException.class)
                .hasMessageContaining("unreadable");
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 404, 409})
    void clientErrorsArePermanent(int status) {
        assertThat(new WixAnswer(status, "", "r").toFailure("issue a token")).isInstanceOf(UpstreamRejectedException.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {429, 500, 502, 503, 504})
    void throttlingAndServerErrorsAreTransient(int status) {
        assertThat(new WixAnswer(status, "", "r").toFailure("issue a token")).isInstanceOf(UpstreamUnavailableException.class);
    }

    @Test
    void namesTheErrorCodeFromEitherErrorShapeAndTheWixRequestId() {
        String wixShape = "{\"message\":\"no\",\"details\":{\"applicationError\":{\"code\":\"APP_NOT_INSTALLED\"}}}";
        String oauthShape = "{\"error\":\"invalid_client\",\"error_description\":\"bad secret\"}";

        assertThat(new WixAnswer(400, wixShape, "req-1").toFailure("issue a token"))
                .hasMessageContaining("APP_NOT_INSTALLED").hasMessageContaining("req-1");
        assertThat(new WixAnswer(401, oauthShape, null).toFailure("issue a token"))
                .hasMessageContaining("invalid_client").hasMessageNotContaining("bad secret");
    }

    @Test
    void throttlingIsItsOwnFailureAndCarriesWixsRetryAfter() {
        assertThat(new WixAnswer(429, "{}", null, "7").toFailure("refresh"))
                .isInstanceOf(UpstreamThrottledException.class)
                .extracting(e -> ((UpstreamThrottledException) e).retryAfter())
                .isEqualTo(java.util.Optional.of(Duration.ofSeconds(7)));
        assertThat(((UpstreamThrottledException) new WixAnswer(429, "{}", null).toFailure("refresh")).retryAfter())
                .isEmpty();
    }

    @Test
    void readsRetryAfterAsAnHttpDateAndDistrustsAbsurdOrGarbledValues() {
        String inTwentySeconds = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME
                .format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(20));
        assertThat(new WixAnswer(429, "", null, inTwentySeconds).retryAfter().orElseThrow())
                .isBetween(Duration.ofSeconds(18), Duration.ofSeconds(20));
        assertThat(new WixAnswer(429, "", null, "86400").retryAfter()).isEmpty();
        assertThat(new WixAnswer(429, "", null, "soon").retryAfter()).isEmpty();
        assertThat(new WixAnswer(429, "", null, "-5").retryAfter()).isEmpty();
        assertThat(new WixAnswer(429, "", null, "99999999999999999999").retryAfter()).isEmpty();
    }
}
