package io.wixoauth.api.proxy;

/**
 * Calls Wix's API for a backend, with the instance's access token, which never leaves the service: the backend's own
 * credentials never reach Wix, and Wix's answer comes back as Wix gave it.
 */
public interface WixApiProxy {

    /**
     * Sends {@code call} to Wix and returns Wix's answer, whose body the caller reads and closes.
     *
     * @throws io.wixoauth.api.error.PathNotAllowedException the caller's groups do not allow the path
     * @throws io.wixoauth.api.error.CallBudgetSpentException the instance's budget of calls is spent, or Wix asked it
     *         to wait: Wix was not called
     * @throws io.wixoauth.api.error.UpstreamRejectedException Wix refused the instance's token, also a fresh one
     * @throws io.wixoauth.api.error.UpstreamUnavailableException Wix did not answer in time, or the token had to be
     *         replaced while a body too large to send twice was on its way (send it again)
     */
    WixReply call(WixCall call);
}
