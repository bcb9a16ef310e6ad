package io.wixoauth.core.platform;

import java.util.Locale;

/** A required setting is absent or invalid; start-up stops with one line naming it. */
public class MissingSettingException extends RuntimeException {

    public MissingSettingException(String property, String problem) {
        super("Setting " + property + " " + problem + " (set the system property " + property
                + " or the environment variable " + environmentName(property) + ")");
    }

    private MissingSettingException(String message) {
        super(message);
    }

    /** A setting that is present but wrong in a way no value of it would mend (an unknown name, say). */
    public static MissingSettingException refused(String property, String problem) {
        return new MissingSettingException("Setting " + property + " " + problem);
    }

    /** The MicroProfile Config mapping: every non-alphanumeric character becomes '_', then upper case. */
    static String environmentName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }
}
