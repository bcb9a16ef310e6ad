package io.wixoauth.core.token;

import io.wixoauth.api.installation.InstanceId;
import io.wixoauth.api.token.IssuedAccessToken;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tokens this node holds in memory, and when each stops being served: {@code oauth.token-refresh-skew} before it
 * expires, so a backend never receives a token that dies on its way to Wix, and {@code oauth.token-cache.max-age}
 * after it was kept, so the node then looks at the database again, where another node may have dropped it (an
 * uninstall, an admin action). It only stores: fetching is {@link DefaultAccessTokenService}'s.
 */
@ApplicationScoped // a plain CDI bean: it is on every token request, and needs no transaction or EJB lock of its own
public class AccessTokenCache {

    private record Kept(IssuedAccessToken token, Instant keptAt) {
    }

    private final Map<InstanceId, Kept> tokens = new ConcurrentHashMap<>();

    @Inject
    @ConfigProperty(name = "oauth.token-refresh-skew")
    Duration refreshSkew;

    @Inject
    @ConfigProperty(name = "oauth.token-cache.max-age")
    Duration maxAge;

    @Inject
    SharedTokens shared;

    /** The instance's token, if this node holds one it may still serve. */
    Optional<IssuedAccessToken> fresh(InstanceId instanceId) {
        Kept kept = tokens.get(instanceId);
        if (kept == null) {
            return Optional.empty();
        }
        Instant now = Instant.now();
        return kept.token().isValidFor(refreshSkew, now) && now.isBefore(kept.keptAt().plus(maxAge))
                ? Optional.of(kept.token()) : Optional.empty();
    }

    void keep(IssuedAccessToken token) {
        tokens.put(token.instanceId(), new Kept(token, Instant.now()));
    }

    /** Forgets the instance's token on this node only; the shared one stays until it is replaced. */
    void forgetLocally(InstanceId instanceId) {
        tokens.remove(instanceId);
    }

    /** Forgets the instance's token here and for every node (an install, an uninstall, an admin action). */
    public void evict(InstanceId instanceId) {
        tokens.remove(instanceId);
        shared.forget(instanceId);
    }
}
