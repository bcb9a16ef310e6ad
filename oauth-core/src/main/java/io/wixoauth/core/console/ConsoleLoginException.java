package io.wixoauth.core.console;

/** A sign-in that cannot be finished; the console shows its message on a page, never a stack trace. */
public class ConsoleLoginException extends RuntimeException {

    public ConsoleLoginException(String message) {
        super(message);
    }
}
