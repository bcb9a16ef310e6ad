/** The webhook endpoint Wix posts signed install, uninstall and paid-plan events to. */
package io.wixoauth.web.webhook;
