package io.wixoauth.simulator;

import java.time.Duration;

/** A misbehaviour the simulator can be told to show instead of (or before) a normal answer. */
public sealed interface Fault {

    /** Answer with this status and a Wix-shaped error body. */
    record Status(int status, String retryAfter) implements Fault {
    }

    /** Wait this long, then answer normally: longer than the client's read timeout, it is a timeout. */
    record Delay(Duration delay) implements Fault {
    }

    /**
     * Answer 200 and the first {@code firstBytes} of a body, then send nothing more for {@code silence} (and close
     * without ending it): Wix hanging after its status and headers.
     */
    record Stall(Duration silence, int firstBytes) implements Fault {
    }

    /** Close the connection without answering. */
    record Drop() implements Fault {
    }

    /** Answer 200 with a body that is not JSON. */
    record MalformedJson() implements Fault {
    }

    /** Answer 400 {@code invalid_grant}, as for a revoked refresh token. */
    record InvalidGrant() implements Fault {
    }

    /**
     * Answer a code exchange or refresh with 200 and a refresh token far longer than any Wix issues today: a service
     * that stores it in a bounded column sees a real constraint violation.
     */
    record OversizedRefreshToken(int length) implements Fault {
    }

    static Fault oversizedRefreshToken(int length) {
        return new OversizedRefreshToken(length);
    }

    static Fault status(int status) {
        return new Status(status, null);
    }

    static Fault throttled(String retryAfter) {
        return new Status(429, retryAfter);
    }

    static Fault delay(Duration delay) {
        return new Delay(delay);
    }

    static Fault stall(Duration silence) {
        return new Stall(silence, 0);
    }

    static Fault stall(Duration silence, int firstBytes) {
        return new Stall(silence, firstBytes);
    }

    static Fault drop() {
        return new Drop();
    }

    static Fault malformedJson() {
        return new MalformedJson();
    }

    static Fault invalidGrant() {
        return new InvalidGrant();
    }
}
