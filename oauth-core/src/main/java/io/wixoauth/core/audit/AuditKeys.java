package io.wixoauth.core.audit;

import io.wixoauth.core.platform.MissingSettingException;
import io.wixoauth.core.platform.StartupCheck;
import io.wixoauth.persistence.audit.ChainKeys;
import io.wixoauth.persistence.crypto.KeyRing;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;

/**
 * The audit chain's keys, from {@code oauth.audit.keys} and {@code oauth.audit.active-key}: required, and kept out of
 * the database, so a database writer cannot re-seal an edited chain. Read once; a bad value fails start-up.
 */
@ApplicationScoped
public class AuditKeys implements StartupCheck {

    static final String KEYS = "oauth.audit.keys";
    static final String ACTIVE = "oauth.audit.active-key";
    static final String UNKEYED_THROUGH = "oauth.audit.unkeyed-through";
    static final String READ_INTERVAL = "oauth.audit.read-interval";
    private static final java.time.Duration LONGEST_READ_INTERVAL = java.time.Duration.ofHours(1);

    @Inject
    Config config;

    private ChainKeys keys;
    private long unkeyedThrough;

    @PostConstruct
    void load() {
        String configured = config.getOptionalValue(KEYS, String.class).orElse("");
        String active = config.getOptionalValue(ACTIVE, String.class).orElse(null);
        try {
            keys = ChainKeys.parse(configured, active);
        } catch (IllegalArgumentException e) {
            throw new MissingSettingException(e instanceof KeyRing.UnknownActiveKeyException ? ACTIVE : KEYS,
                    "is missing or invalid: " + e.getMessage());
        }
        try {
            unkeyedThrough = config.getOptionalValue(UNKEYED_THROUGH, Long.class).orElse(0L);
        } catch (IllegalArgumentException e) {
            throw new MissingSettingException(UNKEYED_THROUGH, "is not a number of entries");
        }
        if (unkeyedThrough < 0) {
            throw new MissingSettingException(UNKEYED_THROUGH, "is negative");
        }
        checkReadInterval(config.getOptionalValue(READ_INTERVAL, String.class).orElse("PT1M"));
    }

    /** Token reads are summed up per this interval ({@link ReadSummaries}): a second to an hour. */
    private static void checkReadInterval(String value) {
        try {
            java.time.Duration interval = java.time.Duration.parse(value.strip());
            if (interval.compareTo(java.time.Duration.ofSeconds(1)) >= 0 && interval.compareTo(LONGEST_READ_INTERVAL) <= 0
                    && interval.toMillis() % 1000 == 0) {
                return;
            }
        } catch (RuntimeException e) {
            // reported below, naming the setting
        }
        throw new MissingSettingException(READ_INTERVAL, "must be a whole number of seconds from PT1S to PT1H, as an "
                + "ISO-8601 duration such as PT1M (it is \"" + value + "\")");
    }

    @Override
    public String check() {
        return "The audit chain is sealed with key " + chain().activeKeyId();
    }

    public ChainKeys chain() {
        return keys;
    }

    /**
     * The last entry that may be sealed without a key: those a database held before its chain was keyed (schema V7),
     * as its operator recorded them here, where a database writer cannot move the line. 0, the default, for a
     * deployment keyed from its first entry: then an unkeyed entry anywhere is a chain rewritten without the key.
     */
    public long unkeyedThrough() {
        return unkeyedThrough;
    }
}
