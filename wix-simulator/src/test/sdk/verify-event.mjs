// The README's Node example ("Events to your backends"), run as written: a backend verifies one relayed event.
// RelayReceiverExampleTest signs the event with the Standard Webhooks Java library the service signs with, passes it
// in the environment, and checks that the README still holds these same lines.
import { Webhook } from "standardwebhooks";
const rawBody = process.env.EVENT_BODY;
const req = { headers: JSON.parse(process.env.EVENT_HEADERS) };

const event = new Webhook(process.env.EVENTS_SECRET).verify(rawBody, req.headers); // throws
console.log(event.type, event.data.instanceId);
