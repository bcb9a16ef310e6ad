package io.wixoauth.web.support;

import java.time.LocalTime;
import java.time.ZoneOffset;

/** The proxy's call budget is per clock minute (UTC): a test of it starts early enough in one to finish within it. */
public final class BudgetMinute {

    private BudgetMinute() {
    }

    /** Returns at once in a minute's first 40 seconds, else at the start of the next minute. */
    public static void awaitRoomInTheMinute() {
        int second = LocalTime.now(ZoneOffset.UTC).getSecond();
        if (second > 40) {
            try {
                Thread.sleep((61 - second) * 1000L); // time itself is the subject
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
