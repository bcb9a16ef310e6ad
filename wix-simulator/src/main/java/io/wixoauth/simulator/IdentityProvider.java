package io.wixoauth.simulator;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * Stands in for the company's identity provider: signs the MicroProfile JWT bearer tokens that backends send to the
 * token API. The service trusts it through {@code mp.jwt.verify.publickey.location} and {@code mp.jwt.verify.issuer}.
 */
public final class IdentityProvider {

    public static final String ISSUER = "https://idp.wix-oauth.local";
    public static final String AUDIENCE = "wix-oauth-service";

    private final RSAKey key;

    private IdentityProvider(RSAKey key) {
        this.key = key;
    }

    public static IdentityProvider generate() {
        return new IdentityProvider(RsaKeys.generate());
    }

    public static IdentityProvider loadOrCreate(Path keyFile) {
        return new IdentityProvider(RsaKeys.loadOrCreate(keyFile));
    }

    public String publicKeyPem() {
        return RsaKeys.publicKeyPem(key);
    }

    /** The public key as a JWK Set, what identity providers publish for their keys to rotate. */
    public String jwks() {
        return publicKeys().toString();
    }

    com.nimbusds.jose.jwk.JWKSet publicKeys() {
        return new com.nimbusds.jose.jwk.JWKSet(key.toPublicJWK());
    }

    /** A token for {@code subject} in {@code groups}, valid for {@code lifetime}. */
    public String issue(String subject, List<String> groups, Duration lifetime) {
        Instant now = Instant.now();
        return sign(claims(subject, groups).issueTime(Date.from(now)).expirationTime(Date.from(now.plus(lifetime))).build());
    }

    /** The usual claims of {@link #issue}, for tests that change one of them. */
    public JWTClaimsSet.Builder claims(String subject, List<String> groups) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .subject(subject)
                .claim("upn", subject)
                .claim("groups", groups)
                .jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(5))));
    }

    public String sign(JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT)
                    .keyID(key.getKeyID()).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
    }
}
