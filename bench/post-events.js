// POST one NDJSON body to a deskpulse events webhook, signed per Standard Webhooks; throws unless 202.
import { randomBytes } from 'node:crypto';
import { sign } from '../dist/connectors/events/standard-webhooks.js';

export async function postSignedEvents(url, secret, body) {
  const id = `msg_${randomBytes(6).toString('hex')}`;
  const timestamp = Math.floor(Date.now() / 1000);
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'webhook-id': id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': sign(secret, id, timestamp, body),
    },
    body,
  });
  if (response.status !== 202) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
}
