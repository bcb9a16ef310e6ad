package io.wixoauth.web.support;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Apps a test added to the shared deployment, removed again so the other tests find it serving one app. */
public final class AddedApps {

    private AddedApps() {
    }

    /** Its installations marked uninstalled (test clean-up, straight in the database), then the app removed. */
    public static void remove(ServiceEnvironment env, String app) {
        env.database().update("UPDATE installation SET state = 'UNINSTALLED', uninstalled_at = ? WHERE app_id = ?",
                Timestamp.from(Instant.now()), app);
        HttpResponse<String> removed = Http.send(HttpRequest.newBuilder(env.service().resolve("api/admin/apps/" + app
                        + "?reason=test%20done")).header("Authorization", "Bearer " + env.bearer("oauth-admin"))
                .DELETE().build());
        assertThat(removed.statusCode()).as(removed.body()).isIn(204, 404);
    }
}
