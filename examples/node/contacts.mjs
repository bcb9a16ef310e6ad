// A backend that keeps Wix's official SDK (@wix/sdk and a module, here @wix/crm's contacts), unchanged, and lets the
// Wix OAuth service hold the tokens. Two ways, both shown:
//   1. Through the service's proxy (recommended): the SDK's requests go to the service, which adds the instance's
//      token, keeps to the instance's rate limit, and refreshes a token Wix refuses. This backend never holds a Wix
//      token; its identity provider's bearer token needs group wix-caller.
//   2. With a token from the service's token API (group token-reader): the SDK calls Wix itself.
//
// Environment: SERVICE_URL (the service's address), INSTANCE_ID (the site), BACKEND_TOKEN (this backend's
// bearer token from the company's identity provider). API_BASE_URL only when Wix is played by a simulator.

import { createClient } from '@wix/sdk';
import { contacts } from '@wix/crm';

const service = process.env.SERVICE_URL;
const instanceId = process.env.INSTANCE_ID;
const bearer = process.env.BACKEND_TOKEN;
const wixApi = process.env.API_BASE_URL ?? 'https://www.wixapis.com';

// 1. The SDK builds https://www.wixapis.com/... addresses: send them to the proxy instead, with this backend's own
//    bearer token. The service swaps it for the instance's Wix token; Wix's answer comes back as Wix gave it.
const throughTheService = createClient({
  modules: { contacts },
  auth: { getAuthHeaders: async () => ({ headers: { Authorization: `Bearer ${bearer}` } }) },
  fetch: (url, init) => fetch(String(url).replace('https://www.wixapis.com',
    `${service}/api/v1/instances/${instanceId}/wix`), init),
});

// 2. An authentication strategy whose headers come from the token API (cached by the service, one call to Wix per
//    expiry however many backends ask). Wix takes the token as the whole Authorization header, without "Bearer".
const withServiceTokens = createClient({
  modules: { contacts },
  auth: {
    getAuthHeaders: async () => {
      const response = await fetch(`${service}/api/v1/instances/${instanceId}/access-token`,
        { headers: { Authorization: `Bearer ${bearer}` } });
      if (!response.ok) {
        throw new Error(`token API answered ${response.status}: ${await response.text()}`);
      }
      const { access_token } = await response.json();
      return { headers: { Authorization: access_token } };
    },
  },
  fetch: (url, init) => fetch(String(url).replace('https://www.wixapis.com', wixApi), init),
});

const { contact } = await throughTheService.contacts.createContact({ name: { first: 'Ada', last: 'Lovelace' } });
console.log(`created through the service: ${contact._id} ${contact.info.name.first} ${contact.info.name.last}`);

const again = await withServiceTokens.contacts.getContact(contact._id);
console.log(`read with a token from the service: ${again._id} revision ${again.revision}`);
