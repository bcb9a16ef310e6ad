package io.wixoauth.simulator;

import com.nimbusds.jwt.JWTClaimsSet;
import com.sun.net.httpserver.HttpExchange;
import jakarta.json.Json;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A company's identity provider as far as an OpenID Connect relying party sees it (OpenID Connect Core 1.0 and
 * Discovery 1.0, RFC 7636 for PKCE): discovery, an authorization endpoint whose login page lists the demo's people and
 * their groups, a token endpoint for the authorization code grant with S256 PKCE only, the keys, and RP-initiated
 * logout that ends the provider's own session. As strict as a real provider where a relying party could go wrong:
 * a redirect URI must be registered exactly, a code is used once, within a minute, by the client it was issued to,
 * with the verifier of its challenge.
 */
public final class OpenIdProvider {

    /** A person who can sign in, with the groups the ID token's {@code groups} claim lists. */
    public record Person(String username, String name, List<String> groups) {
    }

    /** The demo's people: one per group of the service, and one in none. */
    public static final List<Person> DEMO_PEOPLE = List.of(
            new Person("ada", "Ada Admin", List.of("oauth-admin")),
            new Person("victor", "Victor Viewer", List.of("oauth-viewer")),
            new Person("audrey", "Audrey Auditor", List.of("oauth-auditor")),
            new Person("nadia", "Nadia Nogroup", List.of()));

    public static final String PREFIX = "/oidc";
    private static final Duration CODE_LIFETIME = Duration.ofMinutes(1);
    private static final Duration ID_TOKEN_LIFETIME = Duration.ofMinutes(5);
    private static final String SESSION_COOKIE = "oidc_sim_session";
    private static final SecureRandom RANDOM = new SecureRandom();

    private record Client(String id, String secret, Set<String> redirectUris) {
    }

    private record Code(String clientId, String redirectUri, String challenge, String nonce, Person person,
                        Instant expiresAt) {
    }

    private final URI issuer;
    /** Signs the ID tokens; its public key is the provider's published key set. */
    private final IdentityProvider signer = IdentityProvider.generate();
    private final List<Person> people;
    private final Map<String, Client> clients = new ConcurrentHashMap<>();
    private final Map<String, Code> codes = new ConcurrentHashMap<>();
    private final Map<String, Person> sessions = new ConcurrentHashMap<>();
    private final AtomicInteger logouts = new AtomicInteger();

    OpenIdProvider(URI baseUrl, List<Person> people) {
        this.issuer = URI.create(baseUrl + PREFIX);
        this.people = List.copyOf(people);
    }

    public URI issuer() {
        return issuer;
    }

    /** Registers a client: its id, its secret (null for a public client, PKCE alone) and its redirect URIs. */
    public void register(String clientId, String clientSecret, List<String> redirectUris) {
        clients.put(clientId, new Client(clientId, clientSecret, Set.copyOf(redirectUris)));
    }

    /** How many times a relying party ended a session here (RP-initiated logout). */
    public int logouts() {
        return logouts.get();
    }

    /** The people on the login page. */
    public List<Person> people() {
        return people;
    }

    void handle(HttpExchange http) throws IOException {
        Exchange exchange = new Exchange(http);
        String path = http.getRequestURI().getPath().substring(PREFIX.length());
        try {
            switch (path) {
                case "/.well-known/openid-configuration" -> discovery(exchange);
                case "/jwks.json" -> exchange.send(200, "application/json", signer.jwks());
                case "/authorize" -> authorize(exchange, http);
                case "/token" -> token(exchange);
                case "/logout" -> logout(exchange, http);
                default -> exchange.oauthError(404, "not_found", "No such endpoint.");
            }
        } catch (RuntimeException e) {
            exchange.oauthError(400, "invalid_request", "The request could not be read.");
        }
    }

    private void discovery(Exchange exchange) throws IOException {
        exchange.json(200, Json.createObjectBuilder()
                .add("issuer", issuer.toString())
                .add("authorization_endpoint", issuer + "/authorize")
                .add("token_endpoint", issuer + "/token")
                .add("jwks_uri", issuer + "/jwks.json")
                .add("end_session_endpoint", issuer + "/logout")
                .add("response_types_supported", Json.createArrayBuilder().add("code"))
                .add("grant_types_supported", Json.createArrayBuilder().add("authorization_code"))
                .add("subject_types_supported", Json.createArrayBuilder().add("public"))
                .add("id_token_signing_alg_values_supported", Json.createArrayBuilder().add("RS256"))
                .add("code_challenge_methods_supported", Json.createArrayBuilder().add("S256"))
                .add("scopes_supported", Json.createArrayBuilder().add("openid").add("profile").add("groups"))
                .add("token_endpoint_auth_methods_supported",
                        Json.createArrayBuilder().add("none").add("client_secret_basic").add("client_secret_post"))
                .add("claims_supported", Json.createArrayBuilder().add("sub").add("name").add("preferred_username")
                        .add("groups").add("nonce"))
                .build());
    }

    /**
     * GET: checks the request, then signs in the person of an existing session at once (single sign-on) or shows the
     * login page. POST: the person chosen on that page.
     */
    private void authorize(Exchange exchange, HttpExchange http) throws IOException {
        Map<String, String> request = "POST".equals(exchange.method()) ? exchange.formBody() : exchange.query();
        Client client = clients.get(request.getOrDefault("client_id", ""));
        String redirectUri = request.getOrDefault("redirect_uri", "");
        if (client == null || !client.redirectUris().contains(redirectUri)) {
            // Never redirect to an unregistered address (OpenID Connect Core 3.1.2.4): a page instead.
            exchange.html(400, page("Sign-in refused", "<p>The client or its redirect URI is not registered.</p>"));
            return;
        }
        String problem = problem(request);
        if (problem != null) {
            exchange.redirect(redirectUri + "?error=invalid_request&error_description=" + encode(problem)
                    + state(request));
            return;
        }
        Optional<Person> person = "POST".equals(exchange.method())
                ? people.stream().filter(p -> p.username().equals(request.get("person"))).findFirst()
                : sessionOf(http);
        if (person.isEmpty()) {
            exchange.html(200, loginPage(request));
            return;
        }
        if ("POST".equals(exchange.method())) {
            String session = random();
            sessions.put(session, person.get());
            exchange.header("Set-Cookie", SESSION_COOKIE + "=" + session + "; Path=" + PREFIX + "; HttpOnly; SameSite=Lax");
        }
        String code = random();
        codes.put(code, new Code(client.id(), redirectUri, request.get("code_challenge"), request.get("nonce"),
                person.get(), Instant.now().plus(CODE_LIFETIME)));
        exchange.redirect(redirectUri + "?code=" + code + state(request));
    }

    private static String problem(Map<String, String> request) {
        if (!"code".equals(request.get("response_type"))) {
            return "response_type must be code";
        }
        if (!List.of(request.getOrDefault("scope", "").split(" ")).contains("openid")) {
            return "scope must include openid";
        }
        if (!"S256".equals(request.get("code_challenge_method")) || request.getOrDefault("code_challenge", "").length() != 43) {
            return "PKCE with S256 is required";
        }
        if (request.getOrDefault("nonce", "").isEmpty()) {
            return "a nonce is required";
        }
        return null;
    }

    private void token(Exchange exchange) throws IOException {
        if (!"POST".equals(exchange.method())) {
            exchange.oauthError(405, "invalid_request", "POST only.");
            return;
        }
        Map<String, String> form = exchange.formBody();
        Optional<Client> client = authenticated(exchange, form);
        if (client.isEmpty()) {
            exchange.oauthError(401, "invalid_client", "Client authentication failed.");
            return;
        }
        if (!"authorization_code".equals(form.get("grant_type"))) {
            exchange.oauthError(400, "unsupported_grant_type", "authorization_code only.");
            return;
        }
        Code code = codes.remove(form.getOrDefault("code", ""));
        if (code == null || Instant.now().isAfter(code.expiresAt()) || !code.clientId().equals(client.get().id())
                || !code.redirectUri().equals(form.get("redirect_uri"))
                || !code.challenge().equals(s256(form.getOrDefault("code_verifier", "")))) {
            exchange.oauthError(400, "invalid_grant", "The code is unknown, used, expired, another client's, for "
                    + "another redirect URI, or the code verifier does not match its challenge.");
            return;
        }
        exchange.json(200, Json.createObjectBuilder()
                .add("access_token", random())
                .add("token_type", "Bearer")
                .add("expires_in", ID_TOKEN_LIFETIME.toSeconds())
                .add("id_token", idToken(code))
                .build());
    }

    /** client_secret_basic, client_secret_post, or none for a public client. */
    private Optional<Client> authenticated(Exchange exchange, Map<String, String> form) {
        String id = form.get("client_id");
        String secret = form.get("client_secret");
        String basic = exchange.header("Authorization");
        if (basic != null && basic.startsWith("Basic ")) {
            String[] pair = new String(Base64.getDecoder().decode(basic.substring(6)), StandardCharsets.UTF_8).split(":", 2);
            id = java.net.URLDecoder.decode(pair[0], StandardCharsets.UTF_8);
            secret = pair.length > 1 ? java.net.URLDecoder.decode(pair[1], StandardCharsets.UTF_8) : null;
        }
        Client client = id == null ? null : clients.get(id);
        if (client == null) {
            return Optional.empty();
        }
        boolean ok = client.secret() == null ? secret == null
                : secret != null && MessageDigest.isEqual(client.secret().getBytes(StandardCharsets.UTF_8),
                secret.getBytes(StandardCharsets.UTF_8));
        return ok ? Optional.of(client) : Optional.empty();
    }

    private String idToken(Code code) {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(issuer.toString())
                .subject("sub-" + code.person().username())
                .audience(code.clientId())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ID_TOKEN_LIFETIME)))
                .claim("nonce", code.nonce())
                .claim("name", code.person().name())
                .claim("preferred_username", code.person().username())
                .claim("groups", code.person().groups())
                .build();
        return signer.sign(claims);
    }

    /** RP-initiated logout 1.0: the provider's session ends; back to a registered address, or a page. */
    private void logout(Exchange exchange, HttpExchange http) throws IOException {
        cookie(http).ifPresent(sessions::remove);
        exchange.header("Set-Cookie", SESSION_COOKIE + "=; Path=" + PREFIX + "; Max-Age=0; HttpOnly; SameSite=Lax");
        logouts.incrementAndGet();
        Map<String, String> request = exchange.query();
        Client client = clients.get(request.getOrDefault("client_id", ""));
        String back = request.get("post_logout_redirect_uri");
        if (client != null && back != null && client.redirectUris().contains(back)) {
            exchange.redirect(back);
            return;
        }
        exchange.html(200, page("Signed out", "<p>You are signed out of the identity provider.</p>"));
    }

    private Optional<Person> sessionOf(HttpExchange http) {
        return cookie(http).map(sessions::get);
    }

    private static Optional<String> cookie(HttpExchange http) {
        for (String header : http.getRequestHeaders().getOrDefault("Cookie", List.of())) {
            for (String pair : header.split(";")) {
                String[] nameValue = pair.strip().split("=", 2);
                if (nameValue.length == 2 && nameValue[0].equals(SESSION_COOKIE)) {
                    return Optional.of(nameValue[1]);
                }
            }
        }
        return Optional.empty();
    }

    private String loginPage(Map<String, String> request) {
        StringBuilder html = new StringBuilder("<p>Choose who signs in. This is the demo's identity provider; a real "
                + "one asks for a password or a second factor here.</p><ul class=\"people\">");
        for (Person person : people) {
            html.append("<li><form method=\"post\" action=\"").append(PREFIX).append("/authorize\">");
            for (String name : List.of("client_id", "redirect_uri", "response_type", "scope", "state", "nonce",
                    "code_challenge", "code_challenge_method")) {
                if (request.get(name) != null) {
                    html.append("<input type=\"hidden\" name=\"").append(name).append("\" value=\"")
                            .append(escape(request.get(name))).append("\">");
                }
            }
            html.append("<button type=\"submit\" name=\"person\" value=\"").append(escape(person.username()))
                    .append("\" id=\"person-").append(escape(person.username())).append("\">")
                    .append(escape(person.name())).append("</button> <span class=\"groups\">")
                    .append(person.groups().isEmpty() ? "no group" : escape(String.join(", ", person.groups())))
                    .append("</span></form></li>");
        }
        return page("Sign in", html.append("</ul>").toString());
    }

    private static String page(String title, String body) {
        return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + title
                + " | Demo identity provider</title></head><body><h1>" + title + "</h1>" + body + "</body></html>";
    }

    private static String state(Map<String, String> request) {
        String state = request.get("state");
        return state == null ? "" : "&state=" + encode(state);
    }

    static String s256(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String escape(String value) {
        return value.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
