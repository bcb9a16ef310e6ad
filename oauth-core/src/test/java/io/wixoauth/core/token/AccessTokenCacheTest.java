package io.wixoauth.core.token;

import io.wixoauth.api.Secret;
import io.wixoauth.api.installation.InstanceId;
import io.wixoauth.api.token.IssuedAccessToken;
import io.wixoauth.api.token.TokenSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** When a node serves a token from memory, and when it must look again: what a backend would see go wrong. */
class AccessTokenCacheTest {

    private final AccessTokenCache cache = new AccessTokenCache();
    private final InstanceId instance = InstanceId.of(UUID.randomUUID().toString());

    AccessTokenCacheTest() {
        cache.refreshSkew = Duration.ofSeconds(60);
        cache.maxAge = Duration.ofSeconds(30);
    }

    @Test
    void aKeptTokenIsServedUntilTheSkewBeforeItExpires() {
        IssuedAccessToken fourHours = token(Instant.now().plus(Duration.ofHours(4)));
        cache.keep(fourHours);

        assertThat(cache.fresh(instance)).contains(fourHours);
    }

    @Test
    void aTokenWithinTheSkewOfItsExpiryIsNeverServed() {
        cache.keep(token(Instant.now().plusSeconds(59))); // would die on its way to Wix

        assertThat(cache.fresh(instance)).isEmpty();
    }

    @Test
    void aTokenKeptLongerThanTheMaxAgeIsLookedUpAgain() {
        cache.maxAge = Duration.ZERO; // another node may have dropped it meanwhile
        cache.keep(token(Instant.now().plus(Duration.ofHours(4))));

        assertThat(cache.fresh(instance)).isEmpty();
    }

    @Test
    void aForgottenTokenIsGoneAndOtherInstancesKeepTheirs() {
        InstanceId other = InstanceId.of(UUID.randomUUID().toString());
        IssuedAccessToken theirs = new IssuedAccessToken(other, Secret.of("other-token"),
                Instant.now().plus(Duration.ofHours(4)), TokenSource.CLIENT_CREDENTIALS);
        cache.keep(token(Instant.now().plus(Duration.ofHours(4))));
        cache.keep(theirs);

        cache.forgetLocally(instance);

        assertThat(cache.fresh(instance)).isEmpty();
        assertThat(cache.fresh(other)).contains(theirs);
    }

    private IssuedAccessToken token(Instant expiresAt) {
        return new IssuedAccessToken(instance, Secret.of("access-token"), expiresAt, TokenSource.CLIENT_CREDENTIALS);
    }
}
