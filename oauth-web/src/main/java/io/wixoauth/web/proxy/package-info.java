/**
 * The Wix API proxy's HTTP side: {@code /api/v1/instances/{instanceId}/wix/{path}} for group {@code wix-caller}, the
 * bodies streamed both ways ({@code core.proxy} decides everything else).
 */
package io.wixoauth.web.proxy;
