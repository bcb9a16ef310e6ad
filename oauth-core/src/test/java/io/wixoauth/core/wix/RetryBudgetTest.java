package io.wixoauth.core.wix;

import io.wixoauth.core.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class RetryBudgetTest {

    private final MutableClock clock = new MutableClock();

    @Test
    void anOutageOfManyCallsGetsAFifthOfThemRetriedPlusTen() {
        RetryBudget budget = new RetryBudget(clock);
        int retried = 0;
        for (int call = 0; call < 250; call++) {
            budget.attempted();
            if (budget.tryRetry()) {
                retried++;
            }
        }
        assertThat(retried).isEqualTo(10 + 250 / 5);
    }

    @Test
    void theBudgetComesBackAsTheWindowMovesOn() {
        RetryBudget budget = new RetryBudget(clock);
        for (int i = 0; i < 20; i++) {
            budget.tryRetry();
        }
        assertThat(budget.tryRetry()).as("spent").isFalse();

        clock.advance(Duration.ofSeconds(9));
        assertThat(budget.tryRetry()).as("still inside the ten seconds").isFalse();
        clock.advance(Duration.ofSeconds(2));
        assertThat(budget.tryRetry()).as("a new window").isTrue();
    }
}
