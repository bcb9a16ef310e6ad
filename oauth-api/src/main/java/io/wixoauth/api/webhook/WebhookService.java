package io.wixoauth.api.webhook;

public interface WebhookService {

    /**
     * Verifies and applies one webhook. Duplicates and late arrivals change nothing.
     *
     * @param body the raw request body: a compact JWT signed RS256 by Wix
     * @throws io.wixoauth.api.error.WebhookRejectedException when the body is not a valid, correctly signed webhook
     */
    void receive(String body);
}
