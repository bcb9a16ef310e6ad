/**
 * Access tokens served to the company's backends: the service contract, the token as handed out,
 * and which OAuth strategy produced it.
 */
package io.wixoauth.api.token;
