package io.wixoauth.api.token;

import io.wixoauth.api.Secret;
import io.wixoauth.api.installation.AppId;
import io.wixoauth.api.installation.InstanceId;

/** Hands out valid Wix access tokens to the company's backends. */
public interface AccessTokenService {

    /**
     * A token that stays valid for at least the configured refresh skew. Cached: concurrent callers for the same
     * instance share one upstream call.
     *
     * @throws io.wixoauth.api.error.UpstreamRejectedException when Wix refuses to issue a token (permanent)
     * @throws io.wixoauth.api.error.UpstreamUnavailableException when Wix stays unreachable after retries
     */
    IssuedAccessToken accessTokenFor(InstanceId instanceId);

    /**
     * {@link #accessTokenFor(InstanceId)}, the app named by the caller ({@code app}, or null): the instance must be that
     * app's (else unknown instance); an unrecorded one is fetched as that app's.
     *
     * @throws io.wixoauth.api.error.UnknownAppException for an app the deployment does not serve
     * @throws io.wixoauth.api.error.AppRequiredException for an unrecorded instance, no app named, several apps served
     */
    IssuedAccessToken accessTokenFor(AppId app, InstanceId instanceId);

    /**
     * {@link #accessTokenFor} for a backend, recorded in the audit trail as served to {@code caller} (never the token).
     * The entry is written shortly after, in a batch: the token API does not wait for the audit lock.
     *
     * @param app the app the backend named, or null; a named app must be the instance's (else unknown instance), and
     *            an instance with no record needs one when the deployment serves several apps (else app_required)
     */
    IssuedAccessToken serveTo(String caller, AppId app, InstanceId instanceId, String requestId);

    /**
     * A newly fetched token, whatever is cached here or shared by other nodes, which it then replaces (a bulk refresh,
     * an operator's force-refresh). Still one fetch at a time per instance across the cluster.
     */
    IssuedAccessToken refresh(InstanceId instanceId);

    /**
     * Wix refused {@code refused} before it expired (a {@code 401} on an API call): a new token, unless another caller
     * has already replaced that one here, in which case its replacement. However many callers saw the same refusal at
     * once, one fetch.
     */
    IssuedAccessToken replaceRefused(InstanceId instanceId, Secret refused);
}
