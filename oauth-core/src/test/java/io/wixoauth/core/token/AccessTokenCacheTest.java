package io.wixoauth.core.token;

import io.wixoauth.api.Secret;
import io.wixoauth.api.installation.InstallationChanged;
import io.wixoauth.core.testing.MutableClock;
import io.wixoauth.core.testing.Wiring;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.wixoauth.api.installation.InstanceId;
import io.wixoauth.api.token.IssuedAccessToken;
import io.wixoauth.api.token.TokenSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** When a node serves a token from memory, and when it must look again: what a backend would see go wrong. */
class AccessTokenCacheTest {

    private static final io.wixoauth.api.installation.AppId APP = io.wixoauth.api.installation.AppId.of(UUID.randomUUID().toString());

    private final AccessTokenCache cache = new AccessTokenCache();
    private final InstanceId instance = InstanceId.of(UUID.randomUUID().toString());

    private final List<InstanceId> forgottenForAllNodes = new ArrayList<>();

    AccessTokenCacheTest() {
        cache.refreshSkew = Duration.ofSeconds(60);
        cache.maxAge = Duration.ofSeconds(30);
        cache.clock = java.time.Clock.systemUTC();
        cache.ahead = refreshAhead(Map.of());
        cache.shared = new SharedTokens() {
            @Override
            public void forget(java.util.Collection<InstanceId> instanceIds) {
                forgottenForAllNodes.addAll(instanceIds);
            }
        };
    }

    @Test
    void aKeptTokenIsServedUntilTheSkewBeforeItExpires() {
        IssuedAccessToken fourHours = token(Instant.now().plus(Duration.ofHours(4)));
        cache.keep(fourHours, 0);

        assertThat(cache.fresh(instance)).contains(fourHours);
    }

    @Test
    void aTokenWithinTheSkewOfItsExpiryIsNeverServed() {
        cache.keep(token(Instant.now().plusSeconds(59)), 0); // would die on its way to Wix

        assertThat(cache.fresh(instance)).isEmpty();
    }

    @Test
    void aTokenKeptLongerThanTheMaxAgeIsLookedUpAgain() {
        MutableClock clock = new MutableClock();
        cache.clock = clock;
        IssuedAccessToken kept = token(clock.instant().plus(Duration.ofHours(4)));
        cache.keep(kept, 0);

        clock.advance(Duration.ofSeconds(29));
        assertThat(cache.fresh(instance)).contains(kept);
        clock.advance(Duration.ofSeconds(2)); // 31 s kept: another node may have dropped it meanwhile
        assertThat(cache.fresh(instance)).isEmpty();
    }

    @Test
    void aTokenIsServedUntilTheSkewBeforeItsExpiryAndNotAfter() {
        MutableClock clock = new MutableClock();
        cache.clock = clock;
        cache.maxAge = Duration.ofHours(5);
        IssuedAccessToken kept = token(clock.instant().plus(Duration.ofHours(4)));
        cache.keep(kept, 0);

        clock.advance(Duration.ofHours(4).minusSeconds(61));
        assertThat(cache.fresh(instance)).contains(kept);
        clock.advance(Duration.ofSeconds(2)); // 59 s left: it would die on its way to Wix
        assertThat(cache.fresh(instance)).isEmpty();
    }

    @Test
    void aForgottenTokenIsGoneAndOtherInstancesKeepTheirs() {
        InstanceId other = InstanceId.of(UUID.randomUUID().toString());
        IssuedAccessToken theirs = new IssuedAccessToken(other, APP, Secret.of("other-token"),
                Instant.now().plus(Duration.ofHours(4)), TokenSource.CLIENT_CREDENTIALS);
        cache.keep(token(Instant.now().plus(Duration.ofHours(4))), 0);
        cache.keep(theirs, 0);

        cache.forgetLocally(instance);

        assertThat(cache.fresh(instance)).isEmpty();
        assertThat(cache.fresh(other)).contains(theirs);
    }

    @Test
    void aLoadThatStartedBeforeTheInstallationChangedKeepsNothing() {
        long before = cache.generation(instance);
        cache.keep(token(Instant.now().plus(Duration.ofHours(4))), before);

        changed(instance); // an operator switched the installation to client credentials, say
        cache.keep(token(Instant.now().plus(Duration.ofHours(4))), before); // a fetch that read it as it was

        assertThat(cache.fresh(instance)).as("neither the old token nor the late one").isEmpty();
        assertThat(forgottenForAllNodes).containsExactly(instance);
        IssuedAccessToken current = token(Instant.now().plus(Duration.ofHours(4)));
        cache.keep(current, cache.generation(instance));
        assertThat(cache.fresh(instance)).contains(current);
    }

    @Test
    void aTokenForgottenOnThisNodeOnlyIsReplacedByALoadOfTheSameGeneration() {
        long generation = cache.generation(instance);
        cache.keep(token(Instant.now().plus(Duration.ofHours(4))), generation);

        cache.forgetLocally(instance); // Wix refused it: the installation did not change
        IssuedAccessToken replacement = token(Instant.now().plus(Duration.ofHours(4)));
        cache.keep(replacement, generation);

        assertThat(cache.fresh(instance)).contains(replacement);
        assertThat(forgottenForAllNodes).isEmpty();
    }

    @Test
    void evictionsOfAWholeInstallBaseDoNotStayInMemory() {
        IssuedAccessToken served = token(Instant.now().plus(Duration.ofHours(4)));
        cache.keep(served, 0);
        cache.evictionRemembered = Duration.ZERO; // as if every load that started before them were long over

        for (int i = 0; i < 5_000; i++) {
            changed(InstanceId.of(UUID.randomUUID().toString())); // an import, say
        }

        assertThat(cache.held()).as("marks left since the last sweep, and the served token").isLessThanOrEqualTo(1_001);
        assertThat(cache.fresh(instance)).contains(served);
    }

    @Test
    void aBusyInstancesTokenIsDueForRefreshAheadOnceInTheLastTenthOfItsLife() {
        MutableClock clock = keptForAThousandSeconds(Map.of()); // ahead in the last 100

        assertThat(readsUntilDue(clock, 899)).as("reads before the window that were due").isZero();
        clock.advance(Duration.ofSeconds(2)); // 901 s: in the window
        AccessTokenCache.Kept kept = cache.servable(instance, clock.instant());
        assertThat(cache.read(kept, clock.instant())).as("the first read in the window").isTrue();
        assertThat(cache.read(kept, clock.instant())).as("a second read while that refresh runs").isFalse();
        cache.aheadEnded(kept); // it failed
        assertThat(cache.read(kept, clock.instant())).as("at once after it failed").isFalse();
        clock.advance(RefreshAhead.RETRY);
        assertThat(cache.read(kept, clock.instant())).as("a moment after it failed").isTrue();
    }

    @Test
    void anInstanceReadLessThanMinReadsInTheIntervalIsNotRefreshedAhead() {
        MutableClock clock = keptForAThousandSeconds(Map.of("oauth.refresh-ahead.min-reads", "3"));
        clock.advance(Duration.ofSeconds(950));
        AccessTokenCache.Kept kept = cache.servable(instance, clock.instant());

        assertThat(cache.read(kept, clock.instant())).as("1 read").isFalse();
        assertThat(cache.read(kept, clock.instant())).as("2 reads").isFalse();
        clock.advance(Duration.ofMinutes(2)); // the reads so far are older than the interval before this one
        assertThat(cache.read(kept, clock.instant())).as("1 read in two minutes").isFalse();
        assertThat(cache.read(kept, clock.instant())).as("2 reads").isFalse();
        assertThat(cache.read(kept, clock.instant())).as("3 reads in the interval").isTrue();
    }

    @Test
    void aTokenTakenAgainFromTheDatabaseKeepsTheRefreshAheadPointOfItsLife() {
        MutableClock clock = new MutableClock();
        cache.clock = clock;
        cache.ahead = refreshAhead(Map.of("oauth.refresh-ahead.min-reads", "1"));
        IssuedAccessToken kept = token(clock.instant().plus(Duration.ofSeconds(1060)));
        cache.keep(kept, 0);
        for (int i = 0; i < 30; i++) { // every max-age (30 s) the node looks in the database and keeps it again
            clock.advance(Duration.ofSeconds(31));
            cache.keep(kept, 0);
        }

        clock.advance(Duration.ofSeconds(1)); // 931 s of 1000: in the window since 900
        assertThat(cache.read(cache.servable(instance, clock.instant()), clock.instant()))
                .as("due, not pushed later by each keep").isTrue();
    }

    @Test
    void refreshAheadOffNeverFetchesAhead() {
        MutableClock clock = keptForAThousandSeconds(Map.of("oauth.refresh-ahead.window", "off"));

        assertThat(readsUntilDue(clock, 999)).isZero();
    }

    /** A token served for 1,000 s (its expiry 60 s later) kept now, with {@code settings}; the clock it is kept by. */
    private MutableClock keptForAThousandSeconds(Map<String, String> settings) {
        MutableClock clock = new MutableClock();
        cache.clock = clock;
        cache.maxAge = Duration.ofHours(5);
        cache.ahead = refreshAhead(settings);
        cache.keep(token(clock.instant().plus(Duration.ofSeconds(1060))), 0);
        return clock;
    }

    /** Reads once a second for {@code seconds}, each on the token held then; how many were told to refresh ahead. */
    private int readsUntilDue(MutableClock clock, int seconds) {
        int due = 0;
        for (int i = 0; i < seconds; i++) {
            clock.advance(Duration.ofSeconds(1));
            AccessTokenCache.Kept kept = cache.servable(instance, clock.instant());
            due += kept != null && cache.read(kept, clock.instant()) ? 1 : 0;
        }
        return due;
    }

    static RefreshAhead refreshAhead(Map<String, String> settings) {
        RefreshAhead ahead = Wiring.set(new RefreshAhead(), "config", new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(settings, "test", 100)).build());
        return Wiring.call(ahead, "load");
    }

    /** What the container does when an installation changes: the shared token goes in its transaction, then ours. */
    private void changed(InstanceId changed) {
        InstallationChanged change = InstallationChanged.of(changed);
        cache.forgetShared(change);
        cache.onInstallationChanged(change);
    }

    private IssuedAccessToken token(Instant expiresAt) {
        return new IssuedAccessToken(instance, APP, Secret.of("access-token"), expiresAt, TokenSource.CLIENT_CREDENTIALS);
    }
}
