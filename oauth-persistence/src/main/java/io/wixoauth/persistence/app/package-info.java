/**
 * The Wix apps this deployment serves besides the default one, and the default app's changed secret (V13). Native
 * statements, like the relay's: every node reads the rows again within seconds, which EclipseLink's caches would hide.
 */
package io.wixoauth.persistence.app;
