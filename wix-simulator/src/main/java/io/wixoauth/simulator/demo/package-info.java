/**
 * The one-command local demo: the simulator, a demo identity provider and the real service on Payara Micro,
 * wired together on loopback, with all state in one data folder.
 */
package io.wixoauth.simulator.demo;
