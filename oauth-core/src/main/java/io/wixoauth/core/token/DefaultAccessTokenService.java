package io.wixoauth.core.token;

import io.wixoauth.api.installation.InstanceId;
import io.wixoauth.api.token.AccessTokenService;
import io.wixoauth.api.token.IssuedAccessToken;
import io.wixoauth.api.token.TokenSource;
import io.wixoauth.core.wix.WixOAuthClient;
import io.wixoauth.core.wix.WixToken;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

import java.time.Instant;
import java.util.logging.Logger;

@Stateless
public class DefaultAccessTokenService implements AccessTokenService {

    private static final Logger LOG = Logger.getLogger(DefaultAccessTokenService.class.getName());

    @Inject
    AccessTokenCache cache;

    @Inject
    WixOAuthClient wix;

    /** No transaction: nothing is written, and none should stay open while Wix is being called. */
    @Override
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public IssuedAccessToken accessTokenFor(InstanceId instanceId) {
        return cache.get(instanceId, () -> clientCredentialsToken(instanceId));
    }

    /** Basic OAuth (protocol section 1): the default for every instance without a stored refresh token. */
    private IssuedAccessToken clientCredentialsToken(InstanceId instanceId) {
        Instant requestedAt = Instant.now();
        WixToken token = wix.createAccessToken(instanceId);
        // Measured from before the call, so the cached expiry is never later than Wix's.
        IssuedAccessToken issued = new IssuedAccessToken(instanceId, token.accessToken(),
                requestedAt.plus(token.expiresIn()), TokenSource.CLIENT_CREDENTIALS);
        LOG.fine(() -> "Client-credentials token " + issued.token() + " for instance " + instanceId
                + " valid until " + issued.expiresAt());
        return issued;
    }
}
