package io.wixoauth.core.wix;

import java.util.Optional;

/** What Token Info says of a token (protocol section 5): whether it is live, and for which app and instance. */
public record TokenInfo(boolean active, Optional<String> clientId, Optional<String> instanceId) {

    /** True only for a live token of {@code appId} on {@code instanceId}; ids compare as Wix's UUIDs, ignoring case. */
    public boolean confirms(String appId, String instanceId) {
        return active && this.clientId.filter(appId::equalsIgnoreCase).isPresent()
                && this.instanceId.filter(instanceId::equalsIgnoreCase).isPresent();
    }
}
