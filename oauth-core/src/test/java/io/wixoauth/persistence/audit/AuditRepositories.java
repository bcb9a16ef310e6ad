package io.wixoauth.persistence.audit;

import jakarta.persistence.EntityManager;

/** The audit repository outside a container, on an entity manager a test manages (the container injects it). */
public final class AuditRepositories {

    private AuditRepositories() {
    }

    public static AuditRepository on(EntityManager em) {
        AuditRepository repository = new AuditRepository();
        repository.em = em;
        return repository;
    }
}
