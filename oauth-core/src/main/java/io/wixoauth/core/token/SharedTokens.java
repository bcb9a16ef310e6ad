package io.wixoauth.core.token;

import io.wixoauth.api.installation.InstanceId;
import io.wixoauth.api.token.IssuedAccessToken;
import io.wixoauth.api.token.TokenSource;
import io.wixoauth.persistence.token.SharedTokenRepository;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/** The tokens and fetch leases the nodes of a cluster share through the database; each step its own short transaction. */
@Stateless
@TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
public class SharedTokens {

    @Inject
    SharedTokenRepository repository;

    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public Optional<IssuedAccessToken> fresh(InstanceId instanceId, Duration validFor) {
        Instant now = Instant.now();
        return repository.find(instanceId.value())
                .filter(shared -> shared.getExpiresAt() != null && now.plus(validFor).isBefore(shared.getExpiresAt()))
                .flatMap(shared -> shared.token().map(token -> new IssuedAccessToken(instanceId, token,
                        shared.getExpiresAt(), TokenSource.valueOf(shared.getSource().toUpperCase(Locale.ROOT)))));
    }

    public boolean tryLease(InstanceId instanceId, String node, Duration lease) {
        Instant now = Instant.now();
        return repository.tryLease(instanceId.value(), node, now, now.plus(lease));
    }

    /** Stores what this node fetched (unless another node stored a newer one meanwhile) and lets go of the lease. */
    public void publish(IssuedAccessToken token, String node) {
        repository.publish(token.instanceId().value(), node, token.token(), token.source().wireName(), token.expiresAt());
    }

    public void release(InstanceId instanceId, String node) {
        repository.releaseLease(instanceId.value(), node);
    }

    public void forget(InstanceId instanceId) {
        repository.forget(instanceId.value());
    }
}
