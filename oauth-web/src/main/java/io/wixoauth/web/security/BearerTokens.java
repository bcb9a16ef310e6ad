package io.wixoauth.web.security;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.KeyConverter;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSetBasedJWKSource;
import com.nimbusds.jose.jwk.source.JWKSetCacheRefreshEvaluator;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.stream.Collectors;

/**
 * Verifies the company's bearer tokens (signed JWTs from its identity provider) with MicroProfile JWT's own settings,
 * and remembers the ones it verified. A remembered token is found by the SHA-256 digest of its text (the token itself
 * is never kept), is served until its {@code exp} and no longer, and only while the key that signed it is still one of
 * the provider's: a withdrawn key stops a remembered token as soon as the key set is read again. The memory holds at
 * most {@code oauth.bearer.cache-size} tokens; only verified tokens get in, so a flood of forged ones cannot evict.
 */
@ApplicationScoped
public class BearerTokens {

    /** Larger than any bearer token an identity provider issues; a longer one is not even parsed. */
    static final int MAX_LENGTH = 8 * 1024;

    @Inject
    @ConfigProperty(name = "mp.jwt.verify.publickey")
    Optional<String> publicKey;

    @Inject
    @ConfigProperty(name = "mp.jwt.verify.publickey.location")
    Optional<String> publicKeyLocation;

    @Inject
    @ConfigProperty(name = "mp.jwt.verify.publickey.algorithm", defaultValue = "RS256")
    String algorithm;

    @Inject
    @ConfigProperty(name = "mp.jwt.verify.issuer")
    Optional<String> issuer;

    @Inject
    @ConfigProperty(name = "mp.jwt.verify.audiences")
    Optional<String> audiences;

    @Inject
    @ConfigProperty(name = "mp.jwt.verify.clock.skew", defaultValue = "60")
    int skewSeconds;

    @Inject
    @ConfigProperty(name = "mp.jwt.verify.token.age")
    Optional<Long> maxAgeSeconds;

    @Inject
    @ConfigProperty(name = "oauth.bearer.keys-max-age", defaultValue = "PT5M")
    Duration keysMaxAge;

    @Inject
    @ConfigProperty(name = "oauth.bearer.cache-size", defaultValue = "10000")
    int cacheSize;

    @Resource(lookup = "java:comp/DefaultManagedExecutorService")
    ExecutorService executor;

    private JWKSource<SecurityContext> keys;
    private DefaultJWTProcessor<SecurityContext> processor;
    private final Map<ByteBuffer, Verified> verified = new ConcurrentHashMap<>();

    /** Who a verified token speaks for: MicroProfile JWT's name ({@code upn}, else {@code preferred_username}, else
     * {@code sub}) and its {@code groups}, which are the roles. */
    public record Caller(String name, Set<String> groups) {
    }

    /** A verified token: its caller until {@code expires}, while {@code key} is in the key set ({@code seenIn} was). */
    private record Verified(Caller caller, Instant expires, JWK key, JWKSet seenIn) {
    }

    @PostConstruct
    void configure() {
        keys = publicKey.filter(k -> !k.isBlank()).map(IdentityProviderKeys::inline)
                .or(() -> publicKeyLocation.filter(l -> !l.isBlank())
                        .map(location -> IdentityProviderKeys.at(location, keysMaxAge, executor)))
                .orElse(null);
        processor = new DefaultJWTProcessor<>();
        // "JWT", an access token's "at+jwt" (RFC 9068) or no typ at all; anything else, a logout token's say, is refused.
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT,
                new JOSEObjectType("at+jwt"), null));
        JWSAlgorithm expected = JWSAlgorithm.parse(algorithm);
        processor.setJWSKeySelector((header, context) -> header.getAlgorithm().equals(expected)
                ? KeyConverter.toJavaKeys(keysFor(header)) : List.of());
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
                audiences.map(list -> Arrays.stream(list.split(",")).map(String::strip).filter(a -> !a.isEmpty())
                        .collect(Collectors.toSet())).orElse(null),
                issuer.map(iss -> new JWTClaimsSet.Builder().issuer(iss).build()).orElse(new JWTClaimsSet.Builder().build()),
                Set.of("exp"), null);
        claims.setMaxClockSkew(skewSeconds);
        processor.setJWTClaimsSetVerifier(claims);
    }

    /** The caller a bearer token speaks for, or empty if it is not one this service accepts. */
    public Optional<Caller> verify(String token) {
        if (token.isEmpty() || token.length() > MAX_LENGTH || keys == null) {
            return Optional.empty();
        }
        ByteBuffer digest = digest(token);
        Instant now = Instant.now();
        Verified known = verified.get(digest);
        if (known != null) {
            Optional<Verified> trusted = now.isBefore(known.expires()) ? stillTrusted(known) : Optional.empty();
            if (trusted.isPresent()) {
                if (trusted.get() != known) {
                    verified.replace(digest, known, trusted.get());
                }
                return Optional.of(known.caller());
            }
            verified.remove(digest);
        }
        return verifyAndRemember(token, digest, now);
    }

    private Optional<Caller> verifyAndRemember(String token, ByteBuffer digest, Instant now) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            JWTClaimsSet claims = processor.process(jwt, null);
            Instant latest = now.plusSeconds(skewSeconds);
            // Nimbus checks exp and nbf; a token issued in the future is refused here too (RFC 7519 section 4.1.6).
            if (claims.getIssueTime() != null && claims.getIssueTime().toInstant().isAfter(latest)) {
                return Optional.empty();
            }
            // Served until its exp, or until it is older than mp.jwt.verify.token.age, whichever comes first.
            Instant expires = claims.getExpirationTime().toInstant().plusSeconds(skewSeconds);
            if (maxAgeSeconds.isPresent()) {
                if (claims.getIssueTime() == null) {
                    return Optional.empty();
                }
                Instant tooOld = claims.getIssueTime().toInstant().plusSeconds(maxAgeSeconds.get() + skewSeconds);
                expires = tooOld.isBefore(expires) ? tooOld : expires;
            }
            Caller caller = new Caller(name(claims), groups(claims));
            if (caller.name() == null || !now.isBefore(expires)) {
                return Optional.empty();
            }
            remember(digest, caller, expires, jwt.getHeader());
            return Optional.of(caller);
        } catch (java.text.ParseException | BadJOSEException | com.nimbusds.jose.JOSEException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The entry, if the key that signed its token is still one of the provider's: at once if the key set is the very
     * one it was verified under (the cached set, until it is read again), else by looking for the key in the new set.
     */
    private Optional<Verified> stillTrusted(Verified known) {
        try {
            JWKSet current = currentKeySet();
            if (current == known.seenIn()) {
                return Optional.of(known);
            }
            return current.getKeys().contains(known.key())
                    ? Optional.of(new Verified(known.caller(), known.expires(), known.key(), current)) : Optional.empty();
        } catch (KeySourceException e) {
            return Optional.empty();
        }
    }

    private JWKSet currentKeySet() throws KeySourceException {
        return keys instanceof JWKSetBasedJWKSource<SecurityContext> fromLocation
                ? fromLocation.getJWKSetSource().getJWKSet(JWKSetCacheRefreshEvaluator.noRefresh(),
                        System.currentTimeMillis(), null)
                : ((ImmutableJWKSet<SecurityContext>) keys).getJWKSet();
    }

    /**
     * The provider's keys that may have signed a token with this header: those of its {@code kid} (and the algorithm's
     * key type), or, as MicroProfile JWT does for a PEM key, a key published without a {@code kid}.
     */
    private List<JWK> keysFor(JWSHeader header) throws KeySourceException {
        List<JWK> named;
        try {
            named = keys.get(new JWKSelector(JWKMatcher.forJWSHeader(header)), null);
        } catch (RateLimitReachedException e) {
            named = List.of(); // an unknown kid, and the key set was read again less than the limit ago
        }
        if (!named.isEmpty() || header.getKeyID() == null) {
            return named;
        }
        return keys.get(new JWKSelector(JWKMatcher.forJWSHeader(new JWSHeader(header.getAlgorithm()))), null).stream()
                .filter(key -> key.getKeyID() == null).toList();
    }

    private void remember(ByteBuffer digest, Caller caller, Instant expires, JWSHeader header) throws KeySourceException {
        List<JWK> candidates = keysFor(header);
        if (candidates.size() != 1) {
            return; // more than one key could have signed it: verify it every time rather than guess which
        }
        if (verified.size() >= cacheSize) {
            Instant now = Instant.now();
            verified.values().removeIf(v -> !now.isBefore(v.expires()));
            if (verified.size() >= cacheSize) {
                verified.clear();
            }
        }
        verified.put(digest, new Verified(caller, expires, candidates.get(0), currentKeySet()));
    }

    private static String name(JWTClaimsSet claims) throws java.text.ParseException {
        for (String claim : List.of("upn", "preferred_username", "sub")) {
            String value = claims.getStringClaim(claim);
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }

    private static Set<String> groups(JWTClaimsSet claims) throws java.text.ParseException {
        List<String> groups = claims.getStringListClaim("groups");
        return groups == null ? Set.of() : Set.copyOf(groups);
    }

    private static ByteBuffer digest(String token) {
        try {
            return ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
