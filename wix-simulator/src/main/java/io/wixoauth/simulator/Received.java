package io.wixoauth.simulator;

import java.util.List;
import java.util.Map;

/**
 * A request the simulator received on a Wix API or OAuth address, as it arrived: what a test checks when it asks what
 * reached Wix (a proxy's headers, method and body). Header names in lower case; the body by its length and SHA-256.
 */
public record Received(String method, String rawPath, String rawQuery, Map<String, List<String>> headers,
                       long bodyLength, String bodySha256) {

    public List<String> header(String name) {
        return headers.getOrDefault(name.toLowerCase(java.util.Locale.ROOT), List.of());
    }
}
