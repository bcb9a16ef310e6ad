package io.wixoauth.core.console;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import io.wixoauth.core.platform.Logs;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The console's sign-in with the company's identity provider: OpenID Connect's authorization code flow with PKCE (S256)
 * and a nonce (OpenID Connect Core 1.0 section 3.1, RFC 7636), the provider found by discovery from its issuer, the ID
 * token's signature, issuer, audience, expiry and nonce checked (Nimbus OAuth 2.0 SDK with OpenID Connect extensions).
 * Nothing is stored before the provider confirms who signed in: what a sign-in needs to finish travels in the browser's
 * own cookie ({@link LoginStart}).
 */
@ApplicationScoped
public class OpenIdLogin {

    private static final Logger LOG = Logs.of(OpenIdLogin.class);
    private static final int TIMEOUT_MS = 5_000;
    /** The provider's metadata is read again this often: a key or endpoint it changes is taken without a restart. */
    private static final Duration METADATA_MAX_AGE = Duration.ofMinutes(15);
    /** After a failed discovery, the provider is not asked again for this long. */
    private static final Duration RETRY_AFTER = Duration.ofSeconds(10);

    /** What the callback needs to finish a sign-in: kept in the browser's cookie until then, never on the server. */
    public record LoginStart(URI authorizationRequest, String state, String nonce, String codeVerifier) {
    }

    /** Who signed in, as the identity provider's ID token names them. */
    public record Person(String username, String name, List<String> groups) {
    }

    private record Provider(OIDCProviderMetadata metadata, IDTokenValidator validator, Instant readAt) {
    }

    @Inject
    ConsoleSettings settings;

    @Inject
    Clock clock;

    private volatile Provider provider;
    /** One discovery at a time: sign-ins are anonymous, and a provider that hangs must not hold a thread for each. */
    private final java.util.concurrent.locks.ReentrantLock discovering = new java.util.concurrent.locks.ReentrantLock();
    private volatile Instant lastFailure = Instant.MIN;

    public LoginStart start() {
        OIDCProviderMetadata metadata = provider().metadata();
        State state = new State();
        Nonce nonce = new Nonce();
        CodeVerifier verifier = new CodeVerifier();
        AuthenticationRequest request = new AuthenticationRequest.Builder(ResponseType.CODE,
                new Scope("openid", "profile"), new ClientID(settings.clientId()), settings.redirectUri())
                .endpointURI(metadata.getAuthorizationEndpointURI())
                .state(state).nonce(nonce).codeChallenge(verifier, CodeChallengeMethod.S256)
                .build();
        return new LoginStart(request.toURI(), state.getValue(), nonce.getValue(), verifier.getValue());
    }

    /** Exchanges the code the provider sent back, and checks the ID token it answers; refused with the reason. */
    public Person complete(String code, LoginStart started) {
        Provider current = provider();
        AuthorizationCodeGrant grant = new AuthorizationCodeGrant(new AuthorizationCode(code), settings.redirectUri(),
                new CodeVerifier(started.codeVerifier()));
        ClientID client = new ClientID(settings.clientId());
        TokenRequest request = settings.clientSecret()
                .map(secret -> new TokenRequest(current.metadata().getTokenEndpointURI(), new ClientSecretBasic(client,
                        new com.nimbusds.oauth2.sdk.auth.Secret(secret.reveal())), grant))
                .orElseGet(() -> new TokenRequest(current.metadata().getTokenEndpointURI(), client, grant));
        JWT idToken;
        try {
            HTTPRequest http = request.toHTTPRequest();
            http.setConnectTimeout(TIMEOUT_MS);
            http.setReadTimeout(TIMEOUT_MS);
            TokenResponse response = OIDCTokenResponseParser.parse(http.send());
            if (!response.indicatesSuccess()) {
                throw new ConsoleLoginException("The identity provider refused the sign-in: "
                        + response.toErrorResponse().getErrorObject().getCode() + ".");
            }
            idToken = ((OIDCTokenResponse) response.toSuccessResponse()).getOIDCTokens().getIDToken();
        } catch (java.io.IOException | com.nimbusds.oauth2.sdk.ParseException e) {
            throw new ConsoleLoginException("The identity provider could not be reached to finish the sign-in.");
        }
        IDTokenClaimsSet claims;
        try {
            claims = current.validator().validate(idToken, new Nonce(started.nonce()));
        } catch (com.nimbusds.jose.proc.BadJOSEException | com.nimbusds.jose.JOSEException e) {
            LOG.warning(() -> "Console sign-in refused: the ID token did not verify (" + e.getMessage() + ")");
            throw new ConsoleLoginException("The identity provider's answer did not verify.");
        }
        String username = Optional.ofNullable(claims.getStringClaim("preferred_username"))
                .or(() -> Optional.ofNullable(claims.getStringClaim("email")))
                .orElse(claims.getSubject().getValue());
        String name = Optional.ofNullable(claims.getStringClaim("name")).orElse(username);
        List<String> groups = Optional.ofNullable(claims.getStringListClaim(settings.groupsClaim())).orElse(List.of());
        return new Person(username, name, groups);
    }

    /** Where the provider ends its own session (RP-initiated logout), if it says. */
    public Optional<URI> endSessionEndpoint() {
        return Optional.ofNullable(provider().metadata().getEndSessionEndpointURI());
    }

    private Provider provider() {
        Provider known = provider;
        Instant now = Instant.now(clock);
        if (known != null && Duration.between(known.readAt(), now).compareTo(METADATA_MAX_AGE) < 0) {
            return known;
        }
        // Another caller is asking the provider, or it failed a moment ago: the last metadata, or a refusal at once.
        if (Duration.between(lastFailure, now).compareTo(RETRY_AFTER) < 0 || !discovering.tryLock()) {
            return unreachable(known);
        }
        try {
            Issuer issuer = new Issuer(settings.issuer());
            OIDCProviderMetadata metadata = OIDCProviderMetadata.resolve(issuer, TIMEOUT_MS, TIMEOUT_MS);
            IDTokenValidator validator = new IDTokenValidator(issuer, new ClientID(settings.clientId()),
                    JWSAlgorithm.RS256, metadata.getJWKSetURI().toURL(),
                    new DefaultResourceRetriever(TIMEOUT_MS, TIMEOUT_MS, 512 * 1024));
            provider = new Provider(metadata, validator, Instant.now(clock));
            return provider;
        } catch (java.io.IOException | com.nimbusds.oauth2.sdk.GeneralException | RuntimeException e) {
            lastFailure = Instant.now(clock);
            LOG.warning(() -> "Console: the identity provider " + settings.issuer() + " could not be discovered: " + e);
            return unreachable(known);
        } finally {
            discovering.unlock();
        }
    }

    /** The last metadata read stays good while the provider cannot be reached; without any, the sign-in is refused. */
    private static Provider unreachable(Provider known) {
        if (known != null) {
            return known;
        }
        throw new ConsoleLoginException("The identity provider cannot be reached; try again in a moment.");
    }
}
