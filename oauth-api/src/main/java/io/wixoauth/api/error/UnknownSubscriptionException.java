package io.wixoauth.api.error;

/** No relay subscription (or none of its deliveries) has this id. */
public class UnknownSubscriptionException extends ServiceException {

    public UnknownSubscriptionException(String message) {
        super(message, "unknown_subscription", ErrorKind.NOT_FOUND);
    }
}
