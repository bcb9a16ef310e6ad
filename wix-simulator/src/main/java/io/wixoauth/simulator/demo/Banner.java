package io.wixoauth.simulator.demo;

import java.nio.file.Path;

/** What the demo prints once the service is ready: where everything is and what to try first. */
final class Banner {

    private Banner() {
    }

    static String text(String service, String simulator, String instanceId, String token, String operator, Path data) {
        String tokenUrl = service + "/api/v1/instances/" + instanceId + "/access-token";
        return """

                ============================================================================
                 Wix OAuth service is ready at %1$s
                 (Wix is played by the simulator at %2$s)
                ============================================================================
                 Get a Wix access token for the demo installation (a backend's call; the
                 bearer token below is signed by the demo identity provider, valid 12 hours):

                   curl -s -H 'Authorization: Bearer %3$s' \\
                     %4$s

                 Ask again: the answer comes from the cache, with no call to Wix.

                 Install the app as a site owner would (advanced OAuth): open
                   %1$s/oauth/install
                 in a browser and click Approve on the simulated Wix consent page. You land on
                 Wix's close-window page, which (in the simulator) shows the new instance id.
                 Its refresh token is now stored, encrypted. Put that id in the curl above:
                 "source" says "refresh_token".
                 Without the bearer token you get 401:      curl -i %4$s
                 A malformed instance id gets 400:          curl -i -H 'Authorization: Bearer <token>' %1$s/api/v1/instances/nope/access-token

                 Operations (an operator's token, in oauth-viewer, oauth-admin, oauth-auditor):
                   curl -s -H 'Authorization: Bearer %6$s' \\
                     %1$s/api/admin/installations
                   curl -s -H 'Authorization: Bearer <same token>' %1$s/api/admin/audit/verify
                 The API is described at %1$s/openapi

                 Health:      %1$s/health/ready
                 Data folder: %5$s  (database, keys, logs; delete it to start afresh)
                 Stop with Ctrl-C.
                ============================================================================
                """.formatted(service, simulator, token, tokenUrl, data, operator);
    }
}
