package io.wixoauth.web.console;

import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/** The console's few server-made pages: off, no access, signed out, a sign-in that failed. Never a stack trace. */
final class ConsolePages {

    private ConsolePages() {
    }

    static String off() {
        return page("The console is off", "<p>The operations console signs people in with the company's identity "
                + "provider (OpenID Connect). To turn it on, register a client for it there with the redirect URI "
                + "<code>https://&lt;this service&gt;/console/callback</code>, then set <code>oauth.console.issuer</code> "
                + "(the provider's issuer URL) and <code>oauth.console.client-id</code> (and "
                + "<code>oauth.console.client-secret</code> for a confidential client), and restart. See "
                + "docs/operations.md, \"The operations console\".</p>");
    }

    static String noAccess(String name) {
        return page("No access", "<p>You are signed in as " + escape(name) + ", but you are in none of the groups "
                + "that may use this console: <code>oauth-viewer</code> (see installations, jobs, events), "
                + "<code>oauth-admin</code> (act on them) or <code>oauth-auditor</code> (the audit trail).</p>"
                + "<p>Ask your identity provider's administrators to add you to one, then "
                + "<a href=\"/console/login\">sign in again</a>.</p>");
    }

    static String signedOut() {
        return page("Signed out", "<p>You are signed out of the console.</p>"
                + "<p><a href=\"/console/login\">Sign in again</a></p>");
    }

    static String failure(String title, String html) {
        return page(title, "<p>" + html + "</p>");
    }

    static void send(HttpServletResponse response, int status, String html) throws IOException {
        response.setStatus(status);
        response.setContentType("text/html; charset=utf-8");
        response.getWriter().write(html);
    }

    static String escape(String value) {
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String page(String title, String body) {
        return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>" + title
                + " | Wix OAuth console</title><link rel=\"stylesheet\" href=\"/console/assets/app.css\"></head>"
                + "<body class=\"page\"><main><h1>" + title + "</h1>" + body + "</main></body></html>";
    }
}
