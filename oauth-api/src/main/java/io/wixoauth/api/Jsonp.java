package io.wixoauth.api;

import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.spi.JsonProvider;

import java.io.StringReader;

/**
 * JSON-P through one provider looked up once. Every {@code jakarta.json.Json.createXxx} call looks the provider up
 * again through the class loader's service files (jakartaee/jsonp-api#154); on Payara that scan was the largest single
 * cost of serving a cached token (bench/RESULTS.md).
 */
public final class Jsonp {

    private static final JsonProvider PROVIDER = JsonProvider.provider();

    private Jsonp() {
    }

    public static JsonObjectBuilder object() {
        return PROVIDER.createObjectBuilder();
    }

    public static JsonReader reader(String text) {
        return PROVIDER.createReader(new StringReader(text));
    }
}
