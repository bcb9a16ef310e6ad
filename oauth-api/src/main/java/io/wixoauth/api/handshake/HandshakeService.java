package io.wixoauth.api.handshake;

import java.util.Optional;

public interface HandshakeService {

    /**
     * Step 1-2: a fresh single-use state and the Wix installer URL that carries it, for the app {@code appId} (null:
     * the default app) with its own Redirect URL.
     *
     * @throws io.wixoauth.api.error.UnknownAppException      for an app the deployment does not serve
     * @throws io.wixoauth.api.error.InvalidRequestException  for an app that has no Redirect URL (no handshake)
     */
    InstallRedirect startInstall(String appId, Optional<String> wixToken);

    /**
     * Steps 4-6: checks the state, then the code and instance id, exchanges the code and stores the refresh token.
     * A failure after the state was accepted falls back to client credentials instead of failing the install.
     *
     * @throws io.wixoauth.api.error.InvalidStateException   for a missing, unknown, expired, used or foreign state
     * @throws io.wixoauth.api.error.InvalidCallbackException for a missing or malformed code or instance id
     * @throws io.wixoauth.api.error.CodeRefusedException     when Wix refuses the code (forged or already used)
     */
    CallbackOutcome completeInstall(CallbackRequest request);
}
