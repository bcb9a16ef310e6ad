package io.wixoauth.web.examples;

import io.wixoauth.simulator.CommandRun;
import io.wixoauth.simulator.Endpoint;
import io.wixoauth.simulator.Fault;
import io.wixoauth.simulator.WixSimulator;
import io.wixoauth.web.support.ServiceEnvironment;
import io.wixoauth.web.support.ServiceIT;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's Java example ({@code examples/java/CallWixThroughTheService.java}), run as its comment says with the
 * JDK's source launcher, against the service and the simulator: it calls Wix through the proxy and waits out a 429
 * for as long as {@code Retry-After} says.
 */
@ServiceIT
class JavaExampleIT {

    private static final Path EXAMPLES = Path.of("../examples").toAbsolutePath().normalize();

    private final ServiceEnvironment env = ServiceEnvironment.get();
    private final WixSimulator wix = env.wix();

    @Test
    void theJavaExampleCallsWixThroughTheServiceAndWaitsOutA429() throws Exception {
        String instance = wix.installApp();
        wix.failNext(Endpoint.CONTACTS, 1, Fault.throttled("1"));

        CommandRun run = CommandRun.of(EXAMPLES.resolve("java"),
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "CallWixThroughTheService.java"),
                Map.of("SERVICE_URL", env.service().toString().replaceAll("/$", ""), "INSTANCE_ID", instance,
                        "BACKEND_TOKEN", env.bearer("wix-caller")), 120);

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output())
                .contains("POST contacts/v4/contacts answered 429; waiting 1 s as asked")
                .contains("create contact: 200 {\"contact\":")
                .contains("\"first\":\"Grace\"")
                .contains("list contacts: 200 {\"contacts\":[");
        assertThat(wix.issuedSecrets()).as("no Wix token ever reached the backend")
                .allSatisfy(secret -> assertThat(run.output()).doesNotContain(secret));
    }
}
