package io.wixoauth.web.token;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Content negotiation of the token read, as JAX-RS did it for {@code @Produces(APPLICATION_JSON)} (RFC 9110 12.5.1). */
class AccessTokenServletTest {

    @Test
    void anAcceptHeaderThatTakesJsonIsServed() {
        assertThat(AccessTokenServlet.acceptsJson(null)).as("no Accept header").isTrue();
        assertThat(AccessTokenServlet.acceptsJson("application/json")).isTrue();
        assertThat(AccessTokenServlet.acceptsJson("Application/JSON; charset=utf-8")).isTrue();
        assertThat(AccessTokenServlet.acceptsJson("text/html, application/*;q=0.2")).isTrue();
        assertThat(AccessTokenServlet.acceptsJson("text/html,*/*;q=0.8")).as("a browser's").isTrue();
    }

    @Test
    void anAcceptHeaderThatTakesNoJsonIsRefused() {
        assertThat(AccessTokenServlet.acceptsJson("application/xml")).isFalse();
        assertThat(AccessTokenServlet.acceptsJson("text/html, text/plain")).isFalse();
        assertThat(AccessTokenServlet.acceptsJson("application/json;q=0")).as("JSON refused outright").isFalse();
        assertThat(AccessTokenServlet.acceptsJson("*/*;q=0.000, text/plain")).isFalse();
    }
}
