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

    @Inject
    Config config;

    private ChainKeys keys;

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
    }

    @Override
    public String check() {
        return "The audit chain is sealed with key " + chain().activeKeyId();
    }

    public ChainKeys chain() {
        return keys;
    }
}
