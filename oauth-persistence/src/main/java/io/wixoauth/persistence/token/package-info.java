/**
 * The access tokens and fetch leases the nodes of a cluster share, one row per instance: what the token component
 * ({@code io.wixoauth.core.token}) keeps in the database.
 */
package io.wixoauth.persistence.token;
