/**
 * Calling Wix's API for a backend, the token never leaving the service: {@link io.wixoauth.core.proxy.DefaultWixApiProxy}
 * walks a call through the allow-lists ({@code ProxyAllowList}), the instance's token (from {@code core.token}), the
 * instance's budget of calls shared by all nodes ({@code CallBudget}, over {@code CallBudgetStore}), the call itself,
 * and what Wix's {@code 401} and {@code 429} mean for the next one.
 */
package io.wixoauth.core.proxy;
