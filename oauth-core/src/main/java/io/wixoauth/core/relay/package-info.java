/**
 * The event relay. {@link io.wixoauth.core.relay.EventOutbox} writes each event in the transaction of the change it
 * reports, with a delivery for every subscription that wants it; {@link io.wixoauth.core.relay.RelayDispatcher} claims
 * due deliveries on any node, signs them ({@link io.wixoauth.core.relay.RelaySigner}, Standard Webhooks) and settles
 * each by the receiver's answer ({@link io.wixoauth.core.relay.RetrySchedule}); {@link
 * io.wixoauth.core.relay.DefaultRelayService} is what operations manage.
 */
package io.wixoauth.core.relay;
