/**
 * What the service needs before it can serve: valid settings, a database with an up-to-date schema,
 * and the health checks that tell a load balancer whether both are there.
 */
package io.wixoauth.core.platform;
