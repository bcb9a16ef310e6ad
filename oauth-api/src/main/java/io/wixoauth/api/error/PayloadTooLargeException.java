package io.wixoauth.api.error;

/** A request body over the size an address takes: {@code 413}, whether its length was announced or found out. */
public class PayloadTooLargeException extends ServiceException {

    public PayloadTooLargeException(String message) {
        super(message, "payload_too_large", ErrorKind.TOO_LARGE);
    }
}
