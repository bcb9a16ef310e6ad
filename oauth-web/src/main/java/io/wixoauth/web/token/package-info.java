/** The token API: backends ask for a Wix access token for an instance and get a fresh one. */
package io.wixoauth.web.token;
