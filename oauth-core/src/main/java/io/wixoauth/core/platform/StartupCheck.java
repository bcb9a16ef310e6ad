package io.wixoauth.core.platform;

/**
 * A component's check of its own settings, run by {@link ServiceStartup} before the first request: a component owns
 * its settings, and the start-up knows only that each must pass.
 */
public interface StartupCheck {

    /**
     * What to log about the settings when they are good; throws {@link MissingSettingException} naming the setting
     * when one is missing or invalid.
     */
    String check();
}
