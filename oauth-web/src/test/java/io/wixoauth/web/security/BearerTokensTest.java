package io.wixoauth.web.security;

import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.wixoauth.simulator.IdentityProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static io.wixoauth.web.support.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bearer-token verifier with real keys, real tokens and a real HTTP key endpoint, without a container: what a
 * backend's token is accepted as, what is refused, and how the provider's key rotation and withdrawal arrive.
 */
class BearerTokensTest {

    private static final List<String> READER = List.of("token-reader");

    private final IdentityProvider idp = IdentityProvider.generate();
    private final ExecutorService executor = Executors.newSingleThreadExecutor();
    private HttpServer keyServer;

    @AfterEach
    void stop() {
        executor.shutdownNow();
        if (keyServer != null) {
            keyServer.stop(0);
        }
    }

    @Test
    void acceptsTheProvidersTokenAsItsUpnWithItsGroups() {
        BearerTokens tokens = inline(idp.jwks());

        Optional<BearerTokens.Caller> caller = tokens.verify(idp.issue("billing-backend", READER, Duration.ofMinutes(5)));

        assertThat(caller).contains(new BearerTokens.Caller("billing-backend", Set.of("token-reader")));
    }

    @Test
    void refusesEveryTokenItShouldNot() {
        BearerTokens tokens = inline(idp.jwks());
        IdentityProvider stranger = IdentityProvider.generate();
        Instant now = Instant.now();
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("signed by another key", stranger.issue("backend", READER, Duration.ofMinutes(5)));
        refused.put("expired", idp.sign(idp.claims("backend", READER).issueTime(Date.from(now.minusSeconds(7200)))
                .expirationTime(Date.from(now.minusSeconds(3600))).build()));
        refused.put("no expiry", idp.sign(idp.claims("backend", READER).expirationTime(null).build()));
        refused.put("not valid for an hour", idp.sign(idp.claims("backend", READER).notBeforeTime(Date.from(now.plusSeconds(3600))).build()));
        refused.put("issued in an hour", idp.sign(idp.claims("backend", READER).issueTime(Date.from(now.plusSeconds(3600))).build()));
        refused.put("wrong issuer", idp.sign(idp.claims("backend", READER).issuer("https://evil.example").build()));
        refused.put("no issuer", idp.sign(idp.claims("backend", READER).issuer(null).build()));
        refused.put("wrong audience", idp.sign(idp.claims("backend", READER).audience("another-service").build()));
        refused.put("alg none", Base64URL.encode("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "."
                + Base64URL.encode(idp.claims("backend", READER).build().toString()) + ".");
        refused.put("garbage", "abc.def.ghi");
        refused.put("empty", "");
        refused.put("over 8 KiB", idp.sign(idp.claims("backend", READER).claim("pad", "x".repeat(9000)).build()));

        refused.forEach((what, token) -> assertThat(tokens.verify(token)).as(what).isEmpty());
    }

    @Test
    void aRememberedTokenIsNotServedPastItsExpiry() {
        BearerTokens tokens = inline(idp.jwks());
        tokens.skewSeconds = 0;
        tokens.configure();
        Instant now = Instant.now();
        String shortLived = idp.sign(idp.claims("backend", READER).issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(2))).build());

        assertThat(tokens.verify(shortLived)).as("while valid").isPresent();
        assertThat(tokens.verify(shortLived)).as("remembered").isPresent();
        assertThat(eventually(() -> tokens.verify(shortLived).isEmpty(), Duration.ofSeconds(5))).as("after exp").isTrue();
    }

    @Test
    void readsAPemKeyFromAFileAndAcceptsTokensWhateverTheirKid(@TempDir Path dir) throws IOException {
        Path pem = Files.writeString(dir.resolve("idp.pem"), idp.publicKeyPem());
        BearerTokens tokens = configured(null, pem.toUri().toString());

        assertThat(tokens.verify(idp.issue("backend", READER, Duration.ofMinutes(5)))).isPresent();
        assertThat(tokens.verify(IdentityProvider.generate().issue("backend", READER, Duration.ofMinutes(5)))).isEmpty();
    }

    @Test
    void picksUpTheProvidersNewKeyAndDropsAWithdrawnOneWithoutARestart() throws IOException {
        AtomicReference<String> published = new AtomicReference<>(idp.jwks());
        AtomicInteger fetches = new AtomicInteger();
        BearerTokens tokens = configured(null, serve(published, fetches).toString());
        tokens.keysMaxAge = Duration.ofSeconds(2);
        tokens.configure();
        String old = idp.issue("backend", READER, Duration.ofMinutes(5));
        assertThat(tokens.verify(old)).isPresent();
        assertThat(tokens.verify(old)).as("remembered").isPresent();

        IdentityProvider rotated = IdentityProvider.generate();
        published.set(rotated.jwks()); // the provider rotates: a new key, the old one withdrawn
        String fresh = rotated.issue("backend", READER, Duration.ofMinutes(5));

        assertThat(eventually(() -> tokens.verify(fresh).isPresent(), Duration.ofSeconds(5))).as("new key").isTrue();
        assertThat(eventually(() -> tokens.verify(old).isEmpty(), Duration.ofSeconds(5))).as("withdrawn key").isTrue();
        assertThat(fetches.get()).as("key set reads").isBetween(2, 10);
    }

    @Test
    void aFloodOfTokensUnderUnknownKidsReadsTheKeySetAtMostEvery30Seconds() throws Exception {
        AtomicInteger fetches = new AtomicInteger();
        BearerTokens tokens = configured(null, serve(new AtomicReference<>(idp.jwks()), fetches).toString());
        assertThat(tokens.verify(idp.issue("backend", READER, Duration.ofMinutes(5)))).isPresent();

        RSAKey attacker = new RSAKeyGenerator(2048).generate();
        for (int i = 0; i < 200; i++) {
            SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("kid-" + i).build(),
                    idp.claims("attacker", READER).build());
            forged.sign(new RSASSASigner(attacker));
            assertThat(tokens.verify(forged.serialize())).isEmpty();
        }

        assertThat(fetches.get()).as("key set reads").isLessThanOrEqualTo(2);
    }

    private BearerTokens inline(String keys) {
        return configured(keys, null);
    }

    private BearerTokens configured(String key, String location) {
        BearerTokens tokens = new BearerTokens();
        tokens.publicKey = Optional.ofNullable(key);
        tokens.publicKeyLocation = Optional.ofNullable(location);
        tokens.algorithm = "RS256";
        tokens.issuer = Optional.of(IdentityProvider.ISSUER);
        tokens.audiences = Optional.of(IdentityProvider.AUDIENCE);
        tokens.skewSeconds = 60;
        tokens.maxAgeSeconds = Optional.empty();
        tokens.keysMaxAge = Duration.ofMinutes(5);
        tokens.cacheSize = 100;
        tokens.executor = executor;
        tokens.configure();
        return tokens;
    }

    private java.net.URI serve(AtomicReference<String> jwks, AtomicInteger fetches) throws IOException {
        keyServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        keyServer.createContext("/jwks.json", http -> {
            fetches.incrementAndGet();
            byte[] body = jwks.get().getBytes(StandardCharsets.UTF_8);
            http.getResponseHeaders().set("Content-Type", "application/json");
            http.sendResponseHeaders(200, body.length);
            http.getResponseBody().write(body);
            http.close();
        });
        keyServer.start();
        return java.net.URI.create("http://127.0.0.1:" + keyServer.getAddress().getPort() + "/jwks.json");
    }
}
