package io.wixoauth.persistence.installation;

import io.wixoauth.api.installation.InstanceId;

import java.util.Optional;

public interface InstallationRepository {

    Optional<Installation> findByInstanceId(InstanceId instanceId);

    void add(Installation installation);

    /** Writes pending changes now, so a constraint violation surfaces inside the caller's transaction step. */
    void flush();
}
