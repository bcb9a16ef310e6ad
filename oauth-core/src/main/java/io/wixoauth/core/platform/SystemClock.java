package io.wixoauth.core.platform;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import java.time.Clock;

/**
 * The one source of time for the service's beans ({@code @Inject Clock clock}, then {@code Instant.now(clock)}), so
 * that a test moves time instead of sleeping. UTC: every instant the service stores or compares is one.
 */
@ApplicationScoped
public class SystemClock {

    @Produces
    Clock clock() {
        return Clock.systemUTC();
    }
}
