/** The App URL and the Redirect URL of the install handshake, and the pages a site owner sees. */
package io.wixoauth.web.handshake;
