/**
 * A fake of Wix's OAuth endpoints (protocol section 11), exactly as strict as the protocol page: wrong secrets are
 * refused, codes are single-use and expire, tokens expire. Tests tell it to fail and read how often it was called.
 */
package io.wixoauth.simulator;
