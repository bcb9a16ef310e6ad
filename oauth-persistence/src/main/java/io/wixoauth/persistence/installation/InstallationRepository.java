package io.wixoauth.persistence.installation;

import io.wixoauth.api.installation.InstanceId;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

public interface InstallationRepository {

    Optional<Installation> findByInstanceId(InstanceId instanceId);

    /**
     * The installation, locked for the rest of the caller's transaction: concurrent writers of one installation (ten
     * callbacks of one install, a fallback beside them) take turns instead of failing on its version.
     */
    Optional<Installation> lockByInstanceId(InstanceId instanceId);

    /** The installations of these instances that exist, locked like {@link #lockByInstanceId}: one query for a batch. */
    List<Installation> lockAll(java.util.Collection<String> instanceIds);

    void add(Installation installation);

    void remove(Installation installation);

    /**
     * A page of installations ordered by instance id, after {@code after} (a keyset cursor: stable while rows change).
     * Null filters match anything.
     */
    List<Installation> find(InstallationMode mode, InstallationState state, String appId, Instant updatedSince,
                            String after, int limit);

    Map<String, Long> countByMode();

    Map<String, Long> countByState();

    /** The fallen-back or rejected installation that has waited longest since its last change. */
    Optional<Installation> oldestUnresolvedFailure();

    /** Installations holding a refresh token, ordered by instance id, after {@code after}: a re-encryption batch. */
    List<Installation> withRefreshTokenAfter(String after, int limit);

    long countWithRefreshToken();

    /** Writes pending changes now, so a constraint violation surfaces inside the caller's transaction step. */
    void flush();
}
