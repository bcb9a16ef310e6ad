/**
 * The one place where failures become HTTP answers: business exceptions, JAX-RS errors, container errors
 * (401/403 from the security layer) and anything unexpected all leave as {@code {error, error_description}}.
 */
package io.wixoauth.web.error;
