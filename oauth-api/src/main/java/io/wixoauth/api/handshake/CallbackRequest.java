package io.wixoauth.api.handshake;

/**
 * What arrived at the Redirect URL, as raw strings: the service checks them in the order the protocol requires.
 *
 * @param appId       the app whose Redirect URL this is ({@code /oauth/callback/{appId}}), or null for the default app
 * @param cookieState the state the browser's cookie carries, or null
 * @param reference   the id of this request in logs and pages
 */
public record CallbackRequest(String appId, String code, String state, String instanceId, String cookieState,
                              String reference) {
}
