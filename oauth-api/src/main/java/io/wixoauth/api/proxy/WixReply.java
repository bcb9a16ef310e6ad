package io.wixoauth.api.proxy;

import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * Wix's answer, to pass on: its status, the headers that may go back to the caller (hop-by-hop headers and
 * {@code Set-Cookie} already removed), and its body as Wix sends it. Whoever reads the body closes it.
 */
public record WixReply(int status, Map<String, List<String>> headers, InputStream body) implements AutoCloseable {

    @Override
    public void close() throws java.io.IOException {
        body.close();
    }
}
