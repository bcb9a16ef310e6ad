package io.wixoauth.core.token;

import io.wixoauth.api.installation.AppId;
import io.wixoauth.api.installation.InstanceId;
import io.wixoauth.api.token.IssuedAccessToken;
import io.wixoauth.api.token.TokenSource;
import io.wixoauth.core.wix.Apps;
import io.wixoauth.persistence.token.SharedTokenRepository;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** The tokens and fetch leases the nodes of a cluster share through the database; each step its own short transaction. */
@Stateless
@TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
public class SharedTokens {

    @Inject
    Clock clock;

    @Inject
    SharedTokenRepository repository;

    @Inject
    Apps apps;

    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public Optional<IssuedAccessToken> fresh(InstanceId instanceId, Duration validFor) {
        Instant now = Instant.now(clock);
        return repository.find(instanceId.value())
                .filter(shared -> shared.getExpiresAt() != null && now.plus(validFor).isBefore(shared.getExpiresAt()))
                .flatMap(shared -> shared.token().map(token -> new IssuedAccessToken(instanceId,
                        shared.appId().map(AppId::of).orElseGet(apps::defaultAppId), token, shared.getExpiresAt(),
                        TokenSource.valueOf(shared.getSource().toUpperCase(Locale.ROOT)))));
    }

    public boolean tryLease(InstanceId instanceId, String holder, Duration lease) {
        Instant now = Instant.now(clock);
        return repository.tryLease(instanceId.value(), holder, now, now.plus(lease));
    }

    /**
     * Stores what {@code holder} fetched (unless a newer one is stored) and lets go of the lease; false when the lease
     * was no longer its own (it ran out, or the installation changed): then the token may be stale, and is not shared.
     */
    public boolean publish(IssuedAccessToken token, String holder) {
        return repository.publish(token.instanceId().value(), token.appId().value(), holder, token.token(),
                token.source().wireName(), token.expiresAt());
    }

    public void release(InstanceId instanceId, String holder) {
        repository.releaseLease(instanceId.value(), holder);
    }

    /**
     * Drops the shared tokens and ends any fetch lease, in the caller's transaction (the change that makes them stale):
     * what a fetch in flight then brings back is not shared.
     */
    @TransactionAttribute(TransactionAttributeType.MANDATORY)
    public void forget(Collection<InstanceId> instanceIds) {
        repository.forget(instanceIds.stream().map(InstanceId::value).toList());
    }
}
