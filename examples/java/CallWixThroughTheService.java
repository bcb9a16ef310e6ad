import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A Java backend calling Wix's API through the Wix OAuth service's proxy, with nothing but the JDK: it never holds a
 * Wix token. It sends its own bearer token (group wix-caller); the service adds the instance's Wix token, keeps to
 * the instance's rate limit, and passes Wix's answer back as Wix gave it.
 *
 * <p>A {@code 429} (the instance's budget is spent, or Wix asked it to wait) and a {@code 503} (Wix unreachable, the
 * service busy) carry {@code Retry-After}: this client waits that long and tries again, a few times.
 *
 * <pre>
 * SERVICE_URL=http://127.0.0.1:8080 INSTANCE_ID=... BACKEND_TOKEN=... java CallWixThroughTheService.java
 * </pre>
 */
public class CallWixThroughTheService {

    private static final int ATTEMPTS = 4;
    private static final Duration LONGEST_WAIT = Duration.ofSeconds(60);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String wix;
    private final String bearer;

    CallWixThroughTheService(String service, String instanceId, String bearer) {
        this.wix = service + "/api/v1/instances/" + instanceId + "/wix/";
        this.bearer = bearer;
    }

    /** Calls Wix's API at {@code path} (e.g. {@code contacts/v4/contacts}), waiting out 429 and 503 as told. */
    HttpResponse<String> call(String method, String path, String json) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(wix + path))
                .timeout(Duration.ofSeconds(40))
                .header("Authorization", "Bearer " + bearer)
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json))
                .build();
        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            boolean retryable = response.statusCode() == 429 || response.statusCode() == 503;
            if (!retryable || attempt == ATTEMPTS) {
                return response;
            }
            Duration wait = retryAfter(response);
            System.out.println(method + " " + path + " answered " + response.statusCode() + "; waiting "
                    + wait.toSeconds() + " s as asked");
            Thread.sleep(wait.toMillis());
        }
    }

    /** {@code Retry-After} in seconds (the service always sends seconds), at most a minute; 1 s if absent. */
    private static Duration retryAfter(HttpResponse<?> response) {
        Duration wait = response.headers().firstValue("Retry-After").map(String::strip)
                .filter(value -> value.matches("\\d{1,6}")).map(seconds -> Duration.ofSeconds(Long.parseLong(seconds)))
                .orElse(Duration.ofSeconds(1));
        return wait.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : wait;
    }

    public static void main(String[] args) throws Exception {
        CallWixThroughTheService client = new CallWixThroughTheService(System.getenv("SERVICE_URL"),
                System.getenv("INSTANCE_ID"), System.getenv("BACKEND_TOKEN"));

        HttpResponse<String> created = client.call("POST", "contacts/v4/contacts",
                "{\"info\":{\"name\":{\"first\":\"Grace\",\"last\":\"Hopper\"}}}");
        System.out.println("create contact: " + created.statusCode() + " " + created.body());

        HttpResponse<String> listed = client.call("GET", "contacts/v4/contacts?paging.limit=10", null);
        System.out.println("list contacts: " + listed.statusCode() + " " + listed.body());
        System.exit(created.statusCode() == 200 && listed.statusCode() == 200 ? 0 : 1);
    }
}
