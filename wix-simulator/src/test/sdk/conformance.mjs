// Wix's official JavaScript SDK (@wix/sdk, AppStrategy), unchanged, against the Wix simulator. The SDK calls
// https://www.wixapis.com itself; the only thing changed here is where that address leads: fetch is wrapped so that
// Wix's API host goes to the simulator. Every check is a path of the SDK an app uses; one that fails means the
// simulator is stricter or looser than the client Wix ships. Prints one "ok"/"not ok" line per check (TAP).
//
// Environment: SIMULATOR (its base URL), APP_ID, APP_SECRET, REDIRECT_URL (a registered Redirect URL).

import { AppStrategy, createClient } from '@wix/sdk';

const simulator = required('SIMULATOR');
const appId = required('APP_ID');
const appSecret = required('APP_SECRET');
const redirectUrl = required('REDIRECT_URL');

const wixFetch = globalThis.fetch;
globalThis.fetch = (input, init) => {
  const url = typeof input === 'string' || input instanceof URL ? input.toString() : input.url;
  return wixFetch(url.replace(/^https:\/\/www\.wixapis\.com/, simulator), init);
};

const results = [];

async function check(name, body) {
  try {
    await body();
    results.push(true);
    console.log(`ok ${results.length} - ${name}`);
  } catch (e) {
    results.push(false);
    console.log(`not ok ${results.length} - ${name}\n  # ${String(e && e.message || e).split('\n')[0]}`);
  }
}

function required(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`${name} is not set`);
    process.exit(2);
  }
  return value;
}

function assert(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}

async function rejects(promise, message) {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  throw new Error(message);
}

async function control(path, body) {
  const response = await wixFetch(simulator + '/simulator' + path, body === undefined ? {} : {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  assert(response.ok, `simulator ${path} answered ${response.status}`);
  return response.json();
}

async function calls(endpoint) {
  return (await control('')).calls[endpoint];
}

/**
 * The site owner's browser: the SDK's install URL, on the simulator's host, shows the consent page; Approve posts
 * its form, and Wix redirects back to the app.
 */
async function install(state) {
  const installUrl = AppStrategy({ appId, appSecret }).getInstallUrl({ redirectUrl, state });
  assert(installUrl.startsWith('https://www.wix.com/installer/install?'), `install URL ${installUrl}`);
  const consent = await wixFetch(installUrl.replace('https://www.wix.com', simulator), { redirect: 'manual' });
  assert(consent.status === 200 && (await consent.text()).includes('Approve'), `installer answered ${consent.status}`);
  const approved = await wixFetch(simulator + '/installer/install', {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URL(installUrl).searchParams.toString(),
  });
  assert(approved.status === 302, `Approve answered ${approved.status}`);
  return approved.headers.get('location');
}

const { publicKey } = { publicKey: (await control('')).webhookPublicKey };
let installed;

await check('getInstallUrl leads to the installer, which redirects back with code, state and instanceId', async () => {
  const callback = await install('s-1');
  const params = new URL(callback).searchParams;
  assert(callback.startsWith(redirectUrl + '?'), `redirected to ${callback}`);
  assert(params.get('code') && params.get('state') === 's-1' && params.get('instanceId'), `callback ${callback}`);
  installed = { callback, instanceId: params.get('instanceId') };
});

await check('handleOAuthCallback exchanges the code for a refresh token and an access token', async () => {
  const strategy = AppStrategy({ appId, appSecret });
  const tokens = await strategy.handleOAuthCallback(installed.callback, { state: 's-1' });
  assert(tokens.instanceId === installed.instanceId, `instanceId ${tokens.instanceId}`);
  assert(tokens.refreshToken && tokens.accessToken, 'both tokens');
  installed = { ...installed, ...tokens };
});

await check('handleOAuthCallback refuses the same code twice (codes are single-use)', async () => {
  await rejects(AppStrategy({ appId, appSecret }).handleOAuthCallback(installed.callback, { state: 's-1' }),
    'a used code was exchanged again');
});

await check('handleOAuthCallback refuses another state without calling Wix', async () => {
  const before = await calls('POST /oauth/access');
  const callback = await install('s-2');
  await rejects(AppStrategy({ appId, appSecret }).handleOAuthCallback(callback, { state: 'forged' }),
    'a foreign state was accepted');
  assert(await calls('POST /oauth/access') === before, 'Wix was called');
});

await check('getAuthHeaders with a refresh token refreshes on every call, without "Bearer "', async () => {
  const strategy = AppStrategy({ appId, appSecret, refreshToken: installed.refreshToken });
  const before = await calls('POST /oauth/access');
  const first = await strategy.getAuthHeaders();
  const second = await strategy.getAuthHeaders();
  assert(first.headers.Authorization && !first.headers.Authorization.startsWith('Bearer '), 'the header');
  assert(first.headers.Authorization !== second.headers.Authorization, 'two different access tokens');
  assert(await calls('POST /oauth/access') === before + 2, 'one refresh per call');
});

await check('getAuthHeaders with an instance id uses client credentials, cached for expires_in', async () => {
  const strategy = AppStrategy({ appId, appSecret, instanceId: installed.instanceId });
  const before = await calls('POST /oauth2/token');
  const first = await strategy.getAuthHeaders();
  const second = await strategy.getAuthHeaders();
  assert(first.headers.Authorization === second.headers.Authorization, 'the cached token');
  assert(await calls('POST /oauth2/token') === before + 1, 'one call to Wix');
});

await check('getAuthHeaders with an access token gets an unbound one (strip_bound_session)', async () => {
  const strategy = AppStrategy({ appId, appSecret, accessToken: installed.accessToken });
  const { headers } = await strategy.getAuthHeaders();
  assert(headers.Authorization && headers.Authorization !== installed.accessToken, 'a new token');
  const info = await AppStrategy({ appId, appSecret, accessToken: headers.Authorization }).getTokenInfo();
  assert(info.instanceId === installed.instanceId, `it is the instance's: ${JSON.stringify(info)}`);
});

await check('getTokenInfo with an access token names the app, the instance and the site', async () => {
  const info = await AppStrategy({ appId, appSecret, accessToken: installed.accessToken }).getTokenInfo();
  assert(String(info.active) === 'true', `active ${info.active}`);
  assert(info.clientId === appId && info.instanceId === installed.instanceId, JSON.stringify(info));
  assert(info.siteId && info.accountId, `siteId and accountId: ${JSON.stringify(info)}`);
});

await check('getTokenInfo with a refresh token describes the grant', async () => {
  const info = await AppStrategy({ appId, appSecret, refreshToken: installed.refreshToken }).getTokenInfo();
  assert(String(info.active) === 'true' && info.instanceId === installed.instanceId, JSON.stringify(info));
});

await check('elevated() turns an access token into a client-credentials strategy for its instance', async () => {
  const elevated = await AppStrategy({ appId, appSecret, accessToken: installed.accessToken }).elevated();
  const { headers } = await elevated.getAuthHeaders();
  const response = await createClient({ auth: elevated }).fetchWithAuth('https://www.wixapis.com/apps/v1/instance');
  assert(headers.Authorization, 'a token');
  assert(response.status === 200, `Get App Instance answered ${response.status}`);
  const body = await response.json();
  assert(body.instance.instanceId === installed.instanceId && body.site.siteId, JSON.stringify(body));
});

await check('fetchWithAuth calls an app API with the token as Wix expects it', async () => {
  const client = createClient({ auth: AppStrategy({ appId, appSecret, instanceId: installed.instanceId }) });
  const response = await client.fetchWithAuth('https://www.wixapis.com/apps/v1/bi-event', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ eventName: 'APP_FINISHED_CONFIGURATION' }),
  });
  assert(response.status === 200, `BI event answered ${response.status}`);
});

await check('webhooks.process verifies and decodes AppInstalled, PaidPlanPurchased and AppRemoved', async () => {
  const client = createClient({ auth: AppStrategy({ appId, publicKey }) });
  const site = await control('/instances', {});
  const plan = await control(`/instances/${site.instanceId}/plan`, { vendorProductId: 'pro', cycle: 'YEARLY' });
  const removed = await control(`/instances/${site.instanceId}/uninstall`, {});
  const seen = [];
  for (const { webhook } of [site, plan, removed]) {
    const event = await client.webhooks.process(webhook);
    assert(event.instanceId === site.instanceId, `instance of ${event.eventType}`);
    seen.push(event.eventType);
  }
  assert(seen.join() === 'AppInstalled,PaidPlanPurchased,AppRemoved', seen.join());
  const installedEvent = await client.webhooks.process(site.webhook);
  assert(installedEvent.payload.appId === appId, `AppInstalled payload ${JSON.stringify(installedEvent.payload)}`);
  const planEvent = await client.webhooks.process(plan.webhook);
  assert(planEvent.payload.vendorProductId === 'pro' && planEvent.payload.cycle === 'YEARLY', JSON.stringify(planEvent.payload));
});

await check('webhooks.process refuses a webhook whose body was altered', async () => {
  const client = createClient({ auth: AppStrategy({ appId, publicKey }) });
  const { webhook } = await control('/webhooks', { eventType: 'AppRemoved', instanceId: installed.instanceId });
  const [header, payload, signature] = webhook.split('.');
  const altered = Buffer.from(JSON.stringify({ data: JSON.stringify({ eventType: 'AppRemoved', instanceId: 'x' }) }))
    .toString('base64url');
  await client.webhooks.process(webhook);
  await rejects(client.webhooks.process([header, altered, signature].join('.')), 'an altered webhook was accepted');
  assert(payload !== altered, 'the body changed');
});

await check('a wrong app secret is refused', async () => {
  await rejects(AppStrategy({ appId, appSecret: 'wrong', instanceId: installed.instanceId }).getAuthHeaders(),
    'a wrong secret got a token');
});

await check('after an uninstall the refresh token and client credentials are refused', async () => {
  await control(`/instances/${installed.instanceId}/uninstall`, {});
  await rejects(AppStrategy({ appId, appSecret, refreshToken: installed.refreshToken }).getAuthHeaders(),
    'a dead refresh token was refreshed');
  await rejects(AppStrategy({ appId, appSecret, instanceId: installed.instanceId }).getAuthHeaders(),
    'an uninstalled instance got a token');
});

const failed = results.filter(passed => !passed).length;
console.log(`1..${results.length}`);
console.log(`# ${results.length - failed} of ${results.length} SDK paths work against the simulator`);
process.exit(failed === 0 ? 0 : 1);
