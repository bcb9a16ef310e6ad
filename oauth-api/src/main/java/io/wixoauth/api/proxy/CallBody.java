package io.wixoauth.api.proxy;

import java.io.InputStream;
import java.util.Objects;

/**
 * A request body on its way to Wix. A small one is held whole and can be sent again (after Wix refused a token
 * mid-life); a large one is streamed from the caller as it arrives, its first bytes already read, and can be sent once.
 */
public sealed interface CallBody {

    static CallBody none() {
        return None.INSTANCE;
    }

    /** Whether it can be sent a second time. */
    default boolean replayable() {
        return true;
    }

    enum None implements CallBody {
        INSTANCE
    }

    record Whole(byte[] bytes) implements CallBody {
        public Whole {
            Objects.requireNonNull(bytes, "bytes");
        }
    }

    /** {@code head} already read from the caller, then the rest of {@code rest} as it arrives. */
    record Streamed(byte[] head, InputStream rest) implements CallBody {
        public Streamed {
            Objects.requireNonNull(head, "head");
            Objects.requireNonNull(rest, "rest");
        }

        @Override
        public boolean replayable() {
            return false;
        }
    }
}
