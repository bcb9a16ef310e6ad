package io.wixoauth.api.error;

/** A webhook that is unsigned, wrongly signed, expired or malformed. The message says no more than that. */
public class WebhookRejectedException extends ServiceException {

    public WebhookRejectedException() {
        super("The webhook is not a valid, correctly signed Wix webhook.", "invalid_webhook", ErrorKind.UNAUTHENTICATED);
    }
}
