package io.wixoauth.web.http;

import io.wixoauth.core.platform.Logs;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/** Gives every request its id, returns it as {@code X-Request-Id}, and puts it on the log lines written meanwhile. */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class RequestIdFilter implements Filter {

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String id = RequestReference.of((HttpServletRequest) request);
        ((HttpServletResponse) response).setHeader("X-Request-Id", id);
        Logs.beginRequest(id);
        try {
            chain.doFilter(request, response);
        } finally {
            Logs.endRequest();
        }
    }
}
