import { asList, type Connector, header, type Parsed } from '../types.js';
import { twilioHistory } from './history.js';
import { finalizeTwilio, normalizeTwilio } from './normalize.js';
import { classify, readParams, type TwilioPayload } from './payloads.js';
import { twilioSettingsSchema, type TwilioSettings } from './settings.js';
import { verifySignature } from './signature.js';

const isJson = (headers: Record<string, string | string[] | undefined>) =>
  /^application\/json/i.test(header(headers, 'content-type') ?? '');

/** The URL Twilio signed: the configured public URL with the request's query string. */
export function signedUrl(publicUrl: string, requestUrl: string | undefined): string {
  const query = requestUrl?.includes('?') ? requestUrl.slice(requestUrl.indexOf('?')) : '';
  return publicUrl.includes('?') ? publicUrl : publicUrl + query;
}

function parse(body: Buffer): Parsed<TwilioPayload> {
  const text = body.toString('utf8').trimStart();
  const params = readParams(body, text.startsWith('{'));
  if (typeof params === 'string') return { ok: false, reason: params };
  const result = classify(params);
  if (!result.ok) return result;
  return result.payload.kind === 'ignored' ? { ...result, ignored: result.payload.what } : result;
}

export const twilioConnector: Connector<TwilioSettings, TwilioPayload> = {
  id: 'twilio',
  kind: 'calls',
  settingsSchema: twilioSettingsSchema,
  verify: (delivery, settings) =>
    verifySignature(
      asList(settings.auth_token),
      header(delivery.headers, 'x-twilio-signature'),
      signedUrl(settings.public_url, delivery.url),
      delivery.body,
      isJson(delivery.headers),
    ),
  parse,
  normalize: (payload, context, settings) =>
    normalizeTwilio(payload, context, settings.settle_seconds * 1000),
  finalize: (sid, context) => finalizeTwilio(sid, context),
  history: twilioHistory,
};
