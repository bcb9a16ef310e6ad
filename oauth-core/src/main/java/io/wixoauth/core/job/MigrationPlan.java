package io.wixoauth.core.job;

import java.util.HashMap;
import java.util.Map;

/**
 * A migration job's work and its counts so far, in the job's {@code detail} from batch to batch and node to node:
 * {@code app=<id> dryRun=<true|false> switched=<n> refused=<n>} ({@code switched}: proven by Wix and switched, or in a
 * dry run, proven and left as it was).
 */
record MigrationPlan(String appId, boolean dryRun, long switched, long refused) {

    String describe() {
        return "app=" + appId + " dryRun=" + dryRun + " switched=" + switched + " refused=" + refused;
    }

    MigrationPlan plus(long moreSwitched, long moreRefused) {
        return new MigrationPlan(appId, dryRun, switched + moreSwitched, refused + moreRefused);
    }

    static MigrationPlan parse(String detail) {
        Map<String, String> parts = new HashMap<>();
        for (String part : detail.split(" ")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                parts.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        return new MigrationPlan(parts.get("app"), Boolean.parseBoolean(parts.get("dryRun")),
                Long.parseLong(parts.getOrDefault("switched", "0")), Long.parseLong(parts.getOrDefault("refused", "0")));
    }
}
