package io.wixoauth.api.audit;

import io.wixoauth.api.error.InvalidRequestException;

import java.util.regex.Pattern;

/**
 * An entry of the chain as a checkpoint in the log recorded it ({@code seq:hash}): whoever can write the database can
 * cut the chain's tail, but not the copy the company's log store kept.
 */
public record Checkpoint(long seq, String hash) {

    private static final Pattern FORM = Pattern.compile("([1-9][0-9]{0,17}):([0-9a-f]{64})");

    /** {@code seq:hash} as the checkpoint log line shows it; anything else is the caller's mistake. */
    public static Checkpoint parse(String text) {
        var match = text == null ? null : FORM.matcher(text);
        if (match == null || !match.matches()) {
            throw new InvalidRequestException("checkpoint must be seq:hash as a checkpoint log line shows it, "
                    + "such as 1234:<64 hexadecimal digits>.");
        }
        return new Checkpoint(Long.parseLong(match.group(1)), match.group(2));
    }
}
