package io.wixoauth.web.handshake;

import io.wixoauth.web.http.BrowserFacing;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.ext.Provider;

/**
 * The install pages open in a popup or an iframe that Wix closes: they must answer with
 * {@code Cross-Origin-Opener-Policy: unsafe-none} and without {@code X-Frame-Options} (protocol section 2).
 */
@Provider
@BrowserFacing
public class BrowserPageHeaders implements ContainerResponseFilter {

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        response.getHeaders().putSingle("Cross-Origin-Opener-Policy", "unsafe-none");
        response.getHeaders().remove("X-Frame-Options");
        response.getHeaders().putSingle("Cache-Control", "no-store");
        response.getHeaders().putSingle("Referrer-Policy", "no-referrer");
    }
}
