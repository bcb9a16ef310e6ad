package io.wixoauth.web.cluster;

import io.wixoauth.simulator.WixSimulator;
import io.wixoauth.simulator.demo.PayaraMicroProcess;
import io.wixoauth.web.support.EventReceiver;
import io.wixoauth.web.support.EventReceiver.Received;
import io.wixoauth.web.support.Http;
import io.wixoauth.web.support.Relays;
import io.wixoauth.web.support.ServiceEnvironment;
import io.wixoauth.web.support.ServiceNodes;
import jakarta.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import static io.wixoauth.web.support.Eventually.eventually;
import static io.wixoauth.web.support.Relays.eventsFor;
import static io.wixoauth.web.support.Relays.payload;
import static io.wixoauth.web.support.Relays.webhookId;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The relay on two nodes of one database: both send, no event is sent twice, an installation's events keep their
 * order whichever node wrote them, and nodes killed with SIGKILL while a receiver holds a delivery leave it to the
 * next node, not stuck. Each test starts its own two nodes: neither depends on the other having run.
 */
class RelayClusterIT {

    private static final ServiceEnvironment ENV = ServiceEnvironment.get();
    private static int round;

    private final WixSimulator wix = ENV.wix();
    private PayaraMicroProcess nodeA;
    private PayaraMicroProcess nodeB;

    @BeforeEach
    void startTwoNodes() {
        Path dir = ServiceNodes.itDir().resolve("relay-" + (++round));
        CompletableFuture<PayaraMicroProcess> a = CompletableFuture.supplyAsync(() -> start(dir.resolve("node-a")));
        CompletableFuture<PayaraMicroProcess> b = CompletableFuture.supplyAsync(() -> start(dir.resolve("node-b")));
        nodeA = a.join();
        nodeB = b.join();
    }

    @AfterEach
    void stopNodes() {
        for (PayaraMicroProcess node : new PayaraMicroProcess[]{nodeA, nodeB}) {
            if (node != null) {
                node.close();
            }
        }
    }

    @AfterAll
    static void noSubscriptionsLeft() {
        ENV.database().update("DELETE FROM relay_delivery");
        ENV.database().update("DELETE FROM relay_subscription");
    }

    @Test
    void bothNodesDeliverEachEventOnceAndInOrderPerInstallation() {
        try (EventReceiver backend = new EventReceiver()) {
            assertThat(Relays.subscribe(nodeA.baseUrl(), backend.url(), List.of("*")).statusCode()).isEqualTo(201);
            List<String> instances = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                String instance = UUID.randomUUID().toString();
                instances.add(instance);
                PayaraMicroProcess node = i % 2 == 0 ? nodeA : nodeB;
                assertThat(webhook(node, instance)).isEqualTo(200);
            }

            assertThat(eventually(() -> backend.received().size() >= 200, Duration.ofSeconds(60)))
                    .as("received %s of 200", backend.received().size()).isTrue();
            Map<String, Long> perId = backend.received().stream()
                    .collect(Collectors.groupingBy(Relays::webhookId, Collectors.counting()));
            assertThat(perId).as("each event sent once").hasSize(200).allSatisfy((id, count) -> assertThat(count).isOne());
            for (String instance : instances) {
                assertThat(eventsFor(backend, instance).stream().map(e -> payload(e).getString("type")).toList())
                        .as(instance).containsExactly("wix.AppInstalled", "installation.completed");
            }
            assertThat(delivered(nodeA)).as("deliveries sent by node A").isPositive();
            assertThat(delivered(nodeB)).as("deliveries sent by node B").isPositive();
        }
    }

    @Test
    void nodesKilledWhileAReceiverHoldsADeliveryLeaveItToTheNextNodeAndTheOrderHolds() throws Exception {
        try (EventReceiver backend = new EventReceiver()) {
            backend.holdNext(Duration.ofSeconds(60));
            assertThat(Relays.subscribe(nodeA.baseUrl(), backend.url(), List.of("*")).statusCode()).isEqualTo(201);
            String instance = UUID.randomUUID().toString();
            assertThat(webhook(nodeA, instance)).isEqualTo(200);
            assertThat(eventually(() -> !backend.received().isEmpty())).as("the first delivery reached the receiver").isTrue();

            nodeA.kill(); // SIGKILL, both: whichever holds the claim dies with it mid-delivery
            nodeB.kill();
            assertThat(backend.received()).as("nothing more while the receiver holds the first").hasSize(1);
            startTwoNodes();

            assertThat(eventually(() -> eventsFor(backend, instance).size() >= 3, Duration.ofSeconds(90)))
                    .as("delivered after the restart: %s", backend.received()).isTrue();
            List<Received> arrivals = eventsFor(backend, instance);
            assertThat(arrivals).hasSize(3);
            assertThat(webhookId(arrivals.get(1))).as("the held event, sent again").isEqualTo(webhookId(arrivals.get(0)));
            assertThat(arrivals.stream().map(e -> payload(e).getString("type")).toList())
                    .containsExactly("wix.AppInstalled", "wix.AppInstalled", "installation.completed");
            assertThat(Duration.between(arrivals.get(0).at(), arrivals.get(1).at()))
                    .as("only once the dead node's claim (15 s) ran out").isGreaterThanOrEqualTo(Duration.ofSeconds(12));
        }
    }

    private int webhook(PayaraMicroProcess node, String instanceId) {
        return wix.webhooks().post(node.baseUrl().resolve("/webhooks/wix"), wix.webhooks().sign("AppInstalled", instanceId,
                Json.createObjectBuilder().add("appId", wix.appId()).build(), Instant.now()));
    }

    private static double delivered(PayaraMicroProcess node) {
        String metrics = Http.get(node.baseUrl().resolve("/metrics?scope=application"), null).body();
        return metrics.lines().filter(line -> line.startsWith("oauth_relay_deliveries_total{")
                        && line.contains("outcome=\"delivered\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    private static PayaraMicroProcess start(Path dir) {
        Properties config = ServiceNodes.config();
        // A receiver has 5 s; a claim lasts three times that: long enough to kill a node mid-delivery in a test.
        config.setProperty("oauth.relay.timeout", "PT5S");
        return ServiceNodes.start(dir, ServiceNodes.freePort(), config);
    }
}
