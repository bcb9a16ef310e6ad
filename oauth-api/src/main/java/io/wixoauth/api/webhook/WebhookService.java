package io.wixoauth.api.webhook;

public interface WebhookService {

    /**
     * Verifies and applies one webhook. Duplicates and late arrivals change nothing.
     *
     * @param body the raw request body: a compact JWT signed RS256 by Wix
     * @throws io.wixoauth.api.error.WebhookRejectedException when the body is not a valid, correctly signed webhook
     */
    void receive(String body);

    /**
     * As {@link #receive(String)}, for the app {@code appId} at its own address: verified with that app's keys only.
     *
     * @throws io.wixoauth.api.error.UnknownAppException when the deployment serves no such app
     */
    void receive(String appId, String body);
}
