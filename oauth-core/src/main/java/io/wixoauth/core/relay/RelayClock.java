package io.wixoauth.core.relay;

import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.inject.Inject;

/**
 * Every second: retries that fell due, and events other nodes wrote (their commits only wake their own node). Every
 * five seconds: the backlog figures for /metrics.
 */
@Singleton
public class RelayClock {

    @Inject
    RelayDispatcher dispatcher;

    @Inject
    RelayStats stats;

    @Schedule(hour = "*", minute = "*", second = "*", persistent = false)
    void tick() {
        dispatcher.nudge();
    }

    @Schedule(hour = "*", minute = "*", second = "*/5", persistent = false)
    void count() {
        stats.refresh();
    }
}
