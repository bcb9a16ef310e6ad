package io.wixoauth.simulator.demo;

import java.nio.file.Path;

/**
 * What the demo prints once the service is ready: where everything is and what to try first. Every command in it
 * can be pasted into a shell as it stands (DemoIT runs each one): the bearer tokens are read from files, not left as
 * placeholders, and a comment says what a command that fails on purpose answers.
 */
final class Banner {

    private Banner() {
    }

    /**
     * @param backendToken  a file holding a bearer token in the groups token-reader and wix-caller
     * @param operatorToken a file holding a bearer token in oauth-viewer, oauth-admin and oauth-auditor
     */
    static String text(String service, String simulator, String instanceId, Path backendToken, Path operatorToken,
                       Path data, String secondApp) {
        String backend = "-H \"Authorization: Bearer $(cat " + backendToken + ")\"";
        String operator = "-H \"Authorization: Bearer $(cat " + operatorToken + ")\"";
        String tokenUrl = service + "/api/v1/instances/" + instanceId + "/access-token";
        return """

                ============================================================================
                 Wix OAuth service is ready at %1$s
                 Wix is played by the simulator at %2$s
                ============================================================================
                 The demo site %3$s has the app installed (client credentials).

                 1. A backend asks for the site's Wix access token; ask twice: the second
                    answer comes from the cache, without a call to Wix.
                   curl -s %4$s %5$s

                 2. Or let the service call Wix for the backend, which then never holds a
                    token (group wix-caller): add a contact to the site, read the app's
                    instance. Wix's answer comes back as Wix gave it.
                   curl -s %4$s -H 'Content-Type: application/json' -d '{"info":{"name":{"first":"Ada"}}}' %8$s/contacts/v4/contacts
                   curl -s %4$s %8$s/apps/v1/instance

                 3. What operations see: the installations, the audit chain's check.
                   curl -s %6$s %1$s/api/admin/installations
                   curl -s %6$s %1$s/api/admin/audit/verify

                 4. Install as a site owner would (advanced OAuth): open %1$s/oauth/install
                    in a browser and click Approve. Wix's close-window page shows the new
                    instance id; its refresh token is now stored, encrypted. Ask for its
                    token as in 1 with that id: "source" says "refresh_token".

                 5. Play Wix: a new site installs the app, buys a plan, uninstalls. Each
                    step sends the service a signed webhook; the service relays each one,
                    and its own news, to your backend (the demo runs one, subscribed at
                    start), which prints them here as they arrive, signatures verified.
                   ID=$(curl -s -X POST %2$s/simulator/instances | sed 's/.*"instanceId":"\\([^"]*\\)".*/\\1/'); echo "$ID"
                   curl -s -X POST %2$s/simulator/instances/$ID/plan
                   sleep 1; curl -s -X POST %2$s/simulator/instances/$ID/uninstall    # Wix dates events to the second
                   curl -s %6$s %1$s/api/admin/installations/$ID
                   curl -s %6$s %1$s/api/admin/subscriptions    # deliveries by state

                 6. Mistakes get a JSON error and change nothing.
                   curl -si %5$s    # 401: no bearer token
                   curl -si %4$s %1$s/api/v1/instances/nope/access-token    # 400: not an instance id

                 7. Wix is down for 20 seconds: cached tokens are still served.
                   curl -s -X POST -H 'Content-Type: application/json' -d '{"seconds":20}' %2$s/simulator/outage
                   curl -s %4$s %5$s

                 8. The same deployment serves the company's second app, %9$s:
                    its own secret, webhook address and install link (open
                    %1$s/oauth/install/%9$s
                    in a browser to install it as in 4; then name the app for its token:
                    %1$s/api/v1/apps/%9$s/instances/<id>/access-token).
                   curl -s %6$s %1$s/api/admin/apps

                 9. The operations console: open %1$s/console/ and sign in
                    through the demo identity provider as Ada Admin (acts on
                    installations), Victor Viewer, Audrey Auditor (the audit
                    trail) or Nadia Nogroup (no access).

                 The API: %1$s/openapi   Health: %1$s/health/ready   Metrics: %1$s/metrics
                 Data folder: %7$s (database, keys, tokens, logs/server.log;
                 delete it to start afresh). Stop with Ctrl-C.
                ============================================================================
                """.formatted(service, simulator, instanceId, backend, tokenUrl, operator, data,
                        service + "/api/v1/instances/" + instanceId + "/wix", secondApp);
    }
}
