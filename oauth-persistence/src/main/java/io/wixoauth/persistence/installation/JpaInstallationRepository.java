package io.wixoauth.persistence.installation;

import io.wixoauth.api.installation.InstanceId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.util.Optional;

/** Joins the caller's transaction; the services decide where transactions begin and end. */
@ApplicationScoped
public class JpaInstallationRepository implements InstallationRepository {

    @PersistenceContext(unitName = "oauth")
    EntityManager em;

    public JpaInstallationRepository() {
    }

    /** Outside a container, e.g. in tests with a resource-local entity manager. */
    JpaInstallationRepository(EntityManager em) {
        this.em = em;
    }

    @Override
    public Optional<Installation> findByInstanceId(InstanceId instanceId) {
        return em.createNamedQuery(Installation.FIND_BY_INSTANCE_ID, Installation.class)
                .setParameter("instanceId", instanceId.value())
                .getResultStream()
                .findFirst();
    }

    @Override
    public void add(Installation installation) {
        em.persist(installation);
    }

    @Override
    public void flush() {
        em.flush();
    }
}
