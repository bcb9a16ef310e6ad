package io.wixoauth.core.proxy;

import io.wixoauth.persistence.proxy.CallBudgetRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

/** The shared budget's writes, each in a short transaction of its own: never one that stays open while Wix is called. */
@ApplicationScoped
@Transactional(Transactional.TxType.REQUIRES_NEW)
class CallBudgetStore {

    @Inject
    CallBudgetRepository repository;

    CallBudgetRepository.Grant take(String instanceId, long minute, int wanted, int limit, long nowMs) {
        return repository.take(instanceId, minute, wanted, limit, nowMs);
    }

    void blockUntil(String instanceId, long untilMs) {
        repository.blockUntil(instanceId, untilMs);
    }
}
