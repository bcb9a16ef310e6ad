package io.wixoauth.core.wix;

import io.wixoauth.api.Secret;
import io.wixoauth.api.installation.AppId;

/** What the service calls Wix's token endpoints with for one app (protocol sections 1, 3 and 4). */
public record AppCredentials(AppId appId, Secret secret) {
}
