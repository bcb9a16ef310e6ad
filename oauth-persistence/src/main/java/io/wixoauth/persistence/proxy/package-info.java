/**
 * The Wix API proxy's per-instance call budget, shared by the nodes of a cluster: what the proxy component
 * ({@code io.wixoauth.core.proxy}) keeps in the database.
 */
package io.wixoauth.persistence.proxy;
