package io.wixoauth.bench;

import io.wixoauth.simulator.demo.PayaraMicroProcess;

import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

/**
 * The service's {@code /metrics} (Prometheus text), read as a scraper would: each sample by its name and the tags
 * before Payara's own {@code mp_scope}, e.g. {@code oauth_token_fetches_total{trigger="ahead"}}.
 */
final class Metrics {

    private Metrics() {
    }

    static Map<String, Double> read(PayaraMicroProcess service) {
        HttpResponse<String> answer = Load.send(Bench.get(service.baseUrl().resolve("/metrics"), null));
        Map<String, Double> samples = new HashMap<>();
        for (String line : answer.body().split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            String series = key(line.substring(0, space));
            try {
                samples.merge(series, Double.parseDouble(line.substring(space + 1)), Double::sum);
            } catch (NumberFormatException e) {
                // not a sample line
            }
        }
        return samples;
    }

    /** {@code name{tag="value",...}} with the tags sorted and without {@code mp_scope}; just the name without tags. */
    private static String key(String series) {
        int brace = series.indexOf('{');
        if (brace < 0) {
            return series;
        }
        java.util.List<String> tags = new java.util.ArrayList<>();
        for (String tag : series.substring(brace + 1, series.lastIndexOf('}')).split(",")) {
            if (!tag.isBlank() && !tag.startsWith("mp_scope=")) {
                tags.add(tag.strip());
            }
        }
        java.util.Collections.sort(tags);
        return series.substring(0, brace) + (tags.isEmpty() ? "" : "{" + String.join(",", tags) + "}");
    }
}
