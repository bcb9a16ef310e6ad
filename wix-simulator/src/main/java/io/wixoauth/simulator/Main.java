package io.wixoauth.simulator;

import io.wixoauth.simulator.demo.Demo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar wix-simulator.jar [--port 9090] [--app-id <uuid>] [--app-secret <secret>] [--redirect-url <url>]
 * [--webhook-url <url>]} runs the simulator alone (the webhook URL receives what {@code /simulator} changes send);
 * {@code java -jar wix-simulator.jar demo ...} runs the whole demo (see {@link Demo}).
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && "demo".equals(args[0])) {
            Demo.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        SimulatorSettings settings = SimulatorSettings.random();
        int port = 9090;
        List<String> redirectUrls = new ArrayList<>();
        java.net.URI webhookUrl = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--app-id" -> settings = settings.withApp(args[i + 1], settings.appSecret());
                case "--app-secret" -> settings = settings.withApp(settings.appId(), args[i + 1]);
                case "--redirect-url" -> redirectUrls.add(args[i + 1]);
                case "--webhook-url" -> webhookUrl = java.net.URI.create(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        WixSimulator simulator = WixSimulator.start(settings.withRedirectUrls(redirectUrls), port);
        if (webhookUrl != null) {
            simulator.deliverWebhooksTo(webhookUrl);
        }
        String instanceId = simulator.installApp();
        System.out.println("Wix simulator listening on " + simulator.baseUrl());
        System.out.println("  app id:      " + simulator.appId());
        System.out.println("  app secret:  " + simulator.appSecret() + "   (a throwaway secret for local use)");
        System.out.println("  installed on instance " + instanceId);
        System.out.println("  webhook public key and calls: GET " + simulator.baseUrl() + "/simulator");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            simulator.close();
            stopped.countDown();
        }));
        stopped.await();
    }
}
