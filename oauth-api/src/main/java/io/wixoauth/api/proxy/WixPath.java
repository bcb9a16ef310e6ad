package io.wixoauth.api.proxy;

import io.wixoauth.api.error.InvalidRequestException;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A path on Wix's API host, as a caller of the proxy sent it (still percent-encoded), checked so that the request can
 * only go where its segments say: below {@code wix.api-base-url}, never up from it or to another host. Each segment is
 * decoded once and refused if it is {@code .} or {@code ..}, or holds a slash, a backslash, a percent sign (no double
 * encoding), a control character (CR/LF: no header injection) or bytes that are not UTF-8; raw characters outside
 * RFC 3986's path characters, {@code ;} and empty segments are refused too. An absolute URL cannot pass: its
 * {@code //} is an empty segment. What passes is forwarded exactly as sent.
 */
public record WixPath(String raw) {

    public static final int MAX_LENGTH = 2048;

    /** RFC 3986 pchar without '%' (checked as pct-encoded) and without ';' (path parameters some servers strip). */
    private static final String PCHAR = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,=:@";

    public WixPath {
        check(raw);
    }

    /**
     * Whether this path is {@code prefix} or lies below it, segment by segment ({@code contacts/v4} covers
     * {@code contacts/v4/contacts}, not {@code contacts/v40}).
     */
    public boolean isUnder(String prefix) {
        String trimmed = prefix.strip();
        int from = 0;
        int to = trimmed.length();
        while (from < to && trimmed.charAt(from) == '/') {
            from++;
        }
        while (to > from && trimmed.charAt(to - 1) == '/') {
            to--;
        }
        trimmed = trimmed.substring(from, to);
        return !trimmed.isEmpty() && (raw.equals(trimmed) || raw.startsWith(trimmed + "/"));
    }

    /** Its first two segments ({@code contacts/v4}, {@code apps/v1}): which Wix API it calls, for metrics. */
    public String api() {
        String[] segments = raw.split("/", 3);
        return segments.length >= 2 ? segments[0] + "/" + segments[1] : segments[0];
    }

    private static void check(String raw) {
        if (raw == null || raw.isEmpty()) {
            throw refused("the Wix API path is empty");
        }
        if (raw.length() > MAX_LENGTH) {
            throw refused("the Wix API path is longer than " + MAX_LENGTH + " characters");
        }
        String[] segments = raw.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            boolean trailingSlash = i == segments.length - 1 && i > 0;
            if (segment.isEmpty() && !trailingSlash) {
                throw refused("the Wix API path has an empty segment (an absolute URL, or '//')");
            }
            for (int c = 0; c < segment.length(); c++) {
                char ch = segment.charAt(c);
                if (ch == '%') {
                    if (c + 2 >= segment.length() || Character.digit(segment.charAt(c + 1), 16) < 0
                            || Character.digit(segment.charAt(c + 2), 16) < 0) {
                        throw refused("the Wix API path has a malformed percent-encoding");
                    }
                    c += 2;
                } else if (PCHAR.indexOf(ch) < 0) {
                    throw refused("the Wix API path has a character that is not allowed in a path segment");
                }
            }
            String decoded = decode(segment);
            if (decoded.equals(".") || decoded.equals("..")) {
                throw refused("the Wix API path may not contain '.' or '..' segments");
            }
            if (decoded.chars().anyMatch(ch -> ch == '/' || ch == '\\' || ch == '%' || ch < 0x20 || ch == 0x7f)) {
                throw refused("the Wix API path has an encoded slash, backslash, percent sign or control character");
            }
        }
    }

    private static String decode(String segment) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        for (int c = 0; c < segment.length(); c++) {
            char ch = segment.charAt(c);
            if (ch == '%') {
                bytes.write(Integer.parseInt(segment.substring(c + 1, c + 3), 16));
                c += 2;
            } else {
                bytes.write(ch);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw refused("the Wix API path has percent-encoded bytes that are not UTF-8");
        }
    }

    private static InvalidRequestException refused(String why) {
        return new InvalidRequestException("Refused: " + why + ".");
    }

    @Override
    public String toString() {
        return raw;
    }
}
