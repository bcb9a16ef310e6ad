package io.wixoauth.core.wix;

import org.eclipse.microprofile.config.Config;

/** The Wix settings as the container would build them, from a real MicroProfile Config, for tests without one. */
public final class TestWixSettings {

    private TestWixSettings() {
    }

    public static WixSettings from(Config config) {
        WixSettings settings = new WixSettings();
        settings.config = config;
        settings.load();
        return settings;
    }
}
