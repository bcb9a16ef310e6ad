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

    /** Close the connection without answering. */
    record Drop() implements Fault {
    }

    /** Answer 200 with a body that is not JSON. */
    record MalformedJson() implements Fault {
    }

    /** Answer 400 {@code invalid_grant}, as for a revoked refresh token. */
    record InvalidGrant() implements Fault {
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
