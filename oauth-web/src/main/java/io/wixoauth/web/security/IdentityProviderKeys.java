package io.wixoauth.web.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.Resource;
import com.nimbusds.jose.util.ResourceRetriever;

import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;

/**
 * The identity provider's signing keys, from MicroProfile JWT's own settings: {@code mp.jwt.verify.publickey} (the key
 * itself) or {@code mp.jwt.verify.publickey.location} (an http(s) URL, a file, or a class-path resource), each a PEM
 * public key, a JWK or a JWK Set. A location is read again every {@code maxAge} (ahead of time, in the background) and
 * at once, at most every 30 s, when a token names a key it does not hold: that is how an identity provider's key
 * rotation arrives without a restart, and how a key it withdraws stops verifying within {@code maxAge}.
 */
final class IdentityProviderKeys {

    private static final long RATE_LIMIT_MILLIS = 30_000;
    private static final int TIMEOUT_MILLIS = 5_000;
    private static final int SIZE_LIMIT = 256 * 1024;

    private IdentityProviderKeys() {
    }

    static JWKSource<SecurityContext> inline(String key) {
        try {
            return new ImmutableJWKSet<>(parse(key));
        } catch (ParseException | JOSEException e) {
            throw new IllegalStateException("mp.jwt.verify.publickey is neither a PEM public key, a JWK nor a JWK Set.", e);
        }
    }

    /** {@code refresher} reads the keys ahead of time: the server's managed executor, not a thread of the library's. */
    static JWKSource<SecurityContext> at(String location, Duration maxAge, ExecutorService refresher) {
        long ttl = maxAge.toMillis();
        long ahead = Math.min(ttl / 5, JWKSourceBuilder.DEFAULT_REFRESH_AHEAD_TIME);
        return JWKSourceBuilder.<SecurityContext>create(url(location), new AnyFormat())
                .cache(ttl, Math.min(TIMEOUT_MILLIS, ttl / 5))
                .refreshAheadCache(ahead, null, refresher, false, null, false)
                .rateLimited(Math.min(RATE_LIMIT_MILLIS, ttl / 2))
                .retrying(true)
                // The provider unreachable when the keys fall due: keep them one more maxAge rather than refuse every
                // backend at once. A key withdrawn during such an outage stops verifying when the provider is back.
                .outageTolerant(ttl)
                .build();
    }

    private static URL url(String location) {
        try {
            if (location.startsWith("http://") || location.startsWith("https://") || location.startsWith("file:")) {
                return new URL(location);
            }
            String resource = location.startsWith("classpath:") ? location.substring("classpath:".length()) : location;
            Path file = Path.of(resource);
            if (Files.exists(file)) {
                return file.toUri().toURL();
            }
            URL onClassPath = Thread.currentThread().getContextClassLoader().getResource(resource.replaceFirst("^/", ""));
            if (onClassPath == null) {
                throw new IllegalStateException("mp.jwt.verify.publickey.location " + location
                        + " is neither a URL, a file nor a class-path resource.");
            }
            return onClassPath;
        } catch (MalformedURLException e) {
            throw new IllegalStateException("mp.jwt.verify.publickey.location is not a valid URL: " + location, e);
        }
    }

    /** A PEM key, a JWK or a JWK Set, as a JWK Set. */
    static JWKSet parse(String text) throws ParseException, JOSEException {
        String content = text.strip();
        if (content.startsWith("-----BEGIN PUBLIC KEY-----")) {
            return new JWKSet(fromPem(content));
        }
        if (content.contains("\"keys\"")) {
            return JWKSet.parse(content);
        }
        return new JWKSet(JWK.parse(content));
    }

    /** An X.509 SubjectPublicKeyInfo PEM (RFC 7468 section 13), RSA or EC, read with the JDK alone. */
    private static JWK fromPem(String pem) throws JOSEException {
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", ""));
        X509EncodedKeySpec spec = new X509EncodedKeySpec(der);
        try {
            return new RSAKey.Builder((RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(spec)).build();
        } catch (InvalidKeySpecException | NoSuchAlgorithmException notRsa) {
            try {
                ECPublicKey key = (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(spec);
                return new ECKey.Builder(Curve.forECParameterSpec(key.getParams()), key).build();
            } catch (InvalidKeySpecException | NoSuchAlgorithmException | IllegalArgumentException e) {
                throw new JOSEException("The PEM holds neither an RSA nor an EC public key.", e);
            }
        }
    }

    /** Reads http(s) with timeouts and a size limit, files and class-path resources directly, and hands on a JWK Set. */
    private static final class AnyFormat implements ResourceRetriever {
        private final DefaultResourceRetriever http = new DefaultResourceRetriever(TIMEOUT_MILLIS, TIMEOUT_MILLIS, SIZE_LIMIT);

        @Override
        public Resource retrieveResource(URL url) throws IOException {
            String content;
            if (List.of("http", "https").contains(url.getProtocol())) {
                content = http.retrieveResource(url).getContent();
            } else {
                try (InputStream in = url.openStream()) {
                    content = new String(in.readNBytes(SIZE_LIMIT), StandardCharsets.UTF_8);
                }
            }
            try {
                return new Resource(parse(content).toString(true), "application/jwk-set+json");
            } catch (ParseException | JOSEException e) {
                throw new IOException("The identity provider's keys at " + url + " are neither PEM, a JWK nor a JWK Set.", e);
            }
        }
    }
}
