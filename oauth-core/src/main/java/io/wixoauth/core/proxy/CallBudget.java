package io.wixoauth.core.proxy;

import io.wixoauth.api.error.CallBudgetSpentException;
import io.wixoauth.api.installation.AppId;
import io.wixoauth.api.installation.InstanceId;
import io.wixoauth.core.platform.ServiceMetrics;
import io.wixoauth.persistence.proxy.CallBudgetRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each instance's calls to Wix per clock minute, for all nodes together ({@code oauth.proxy.calls-per-minute}; Wix
 * allows about 200, protocol section 0), and the instance's back-off after Wix answered 429.
 *
 * <p>A node does not write to the database for every call: it takes calls from the instance's shared row in blocks
 * (one at first, doubling with the instance's traffic on the node up to a twentieth of the limit) and spends them
 * from memory. The nodes together never take more than the limit in a minute; a block a node does not spend before the
 * minute ends is simply not used. Once the minute's calls are spent, the node refuses the rest of the minute from
 * memory. A back-off Wix asked for is written for every node; a node that still holds calls of a block learns of it
 * when it next takes a block, or from Wix's own 429.
 */
@ApplicationScoped
public class CallBudget {

    private static final int FORGET_ABOVE = 10_000;

    @Inject
    CallBudgetStore store;

    @Inject
    ServiceMetrics metrics;

    @Inject
    @ConfigProperty(name = "oauth.proxy.calls-per-minute")
    int limit;

    /** This node's part of each instance's budget. Guarded by its own monitor. */
    private static final class Allowance {
        long minute = -1;
        int left;
        int taken;
        boolean spent;
        long blockedUntilMs;
    }

    private final Map<InstanceId, Allowance> allowances = new ConcurrentHashMap<>();

    /** Takes one call for the instance, or refuses it with the wait until it may call again. */
    public void take(InstanceId instanceId, AppId appId) {
        long now = System.currentTimeMillis();
        long minute = now / 60_000;
        Allowance allowance = allowances.computeIfAbsent(instanceId, id -> new Allowance());
        synchronized (allowance) {
            if (allowance.blockedUntilMs > now) {
                throw backingOff(appId, allowance.blockedUntilMs - now);
            }
            if (allowance.minute != minute) {
                allowance.minute = minute;
                allowance.left = 0;
                allowance.taken = 0;
                allowance.spent = false;
            }
            if (allowance.left == 0 && !allowance.spent) {
                takeBlock(instanceId, appId, allowance, minute, now);
            }
            if (allowance.left == 0) {
                metrics.wixCallThrottled(appId.value(), "budget");
                throw new CallBudgetSpentException("This instance has made its " + limit + " calls to Wix for this "
                        + "minute (oauth.proxy.calls-per-minute); Wix was not called.",
                        Duration.ofMillis((minute + 1) * 60_000 - now));
            }
            allowance.left--;
        }
        if (allowances.size() > FORGET_ABOVE) {
            allowances.values().removeIf(a -> a.minute < minute && a.blockedUntilMs < now);
        }
    }

    /**
     * Wix answered 429: no node calls Wix for the instance for {@code wait} (Wix's {@code Retry-After}), or without
     * one, for the rest of this minute.
     */
    public void backOff(InstanceId instanceId, Optional<Duration> wait) {
        long now = System.currentTimeMillis();
        long until = wait.map(w -> now + w.toMillis()).orElse((now / 60_000 + 1) * 60_000);
        Allowance allowance = allowances.computeIfAbsent(instanceId, id -> new Allowance());
        synchronized (allowance) {
            allowance.blockedUntilMs = Math.max(allowance.blockedUntilMs, until);
            allowance.left = 0;
        }
        store.blockUntil(instanceId.value(), until);
    }

    private void takeBlock(InstanceId instanceId, AppId appId, Allowance allowance, long minute, long now) {
        // Doubling: 1, 1, 2, 4, ... calls, so an instance busy on this node costs a handful of writes a minute.
        int wanted = Math.max(1, Math.min(allowance.taken, Math.max(1, limit / 20)));
        CallBudgetRepository.Grant grant;
        try {
            grant = store.take(instanceId.value(), minute, wanted, limit, now);
        } catch (RuntimeException firstRowRace) {
            // Another node created the instance's row at the same moment; the row exists now.
            grant = store.take(instanceId.value(), minute, wanted, limit, now);
        }
        if (grant.blockedUntilMs() > now) {
            allowance.blockedUntilMs = grant.blockedUntilMs();
            throw backingOff(appId, grant.blockedUntilMs() - now);
        }
        allowance.left = grant.calls();
        allowance.taken += grant.calls();
        allowance.spent = grant.calls() == 0;
    }

    private CallBudgetSpentException backingOff(AppId appId, long waitMs) {
        metrics.wixCallThrottled(appId.value(), "backoff");
        return new CallBudgetSpentException("Wix asked this instance to slow down (429); no calls go to Wix for it "
                + "until the wait it asked for has passed.", Duration.ofMillis(waitMs));
    }
}
