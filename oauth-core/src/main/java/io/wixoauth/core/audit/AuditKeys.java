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
