package io.wixoauth.core.platform;

import java.util.Locale;

/** A required setting is absent or invalid; start-up stops with one line naming it. */
public class MissingSettingException extends RuntimeException {

    public MissingSettingException(String property, String problem) {
        super("Setting " + property + " " + problem + " (set the system property " + property
                + " or the environment variable " + environmentName(property) + ")");
    }

    /** The MicroProfile Config mapping: every non-alphanumeric character becomes '_', then upper case. */
    static String environmentName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }
}
