import { DateTime } from 'luxon';
import type { NormalizedEvent } from '../../model/events.js';
import { customerKeys, e164, phoneKey } from '../customer.js';
import { finish } from '../shared.js';
import type { NormalizeContext } from '../types.js';
import type { VoipstudioCdr } from './payloads.js';

/** An account-time `YYYY-MM-DD HH:MM:SS` in `zone` as a UTC instant. */
export function instant(local: string, zone: string): DateTime {
  return DateTime.fromFormat(local, 'yyyy-MM-dd HH:mm:ss', { zone }).toUTC();
}

/** The same instant as the API writes times in `zone` (for filters). */
export function localTime(at: DateTime, zone: string): string {
  return at.setZone(zone).toFormat('yyyy-MM-dd HH:mm:ss');
}

/**
 * VoIPstudio writes external numbers in E.164 without the plus (`34630733730`): digits that read
 * as a valid international number are one; anything else is read in the tenant's country.
 */
export function partyKey(raw: string | null | undefined, scope: string, defaultCountry?: string) {
  const digits = raw?.trim();
  if (digits && /^[1-9]\d{7,14}$/.test(digits) && e164(`+${digits}`)) return phoneKey(`+${digits}`, scope);
  return phoneKey(raw, scope, defaultCountry);
}

const DIRECTIONS: Record<string, 'inbound' | 'outbound'> = { I: 'inbound', M: 'inbound', O: 'outbound' };
const CONNECTED = /^(CONNECTED|ANSWERED)$/i;

export function outcome(cdr: VoipstudioCdr): 'answered' | 'missed' | 'abandoned' | 'voicemail' {
  if (cdr.type !== 'M' && CONNECTED.test(cdr.disposition) && cdr.billsec > 0) return 'answered';
  if (/VOICEMAIL/i.test(cdr.disposition)) return 'voicemail';
  // The caller gave up before anyone answered; NO ANSWER, BUSY, FAILED: nobody took it.
  if (/CANCEL/i.test(cdr.disposition)) return 'abandoned';
  return 'missed';
}

/**
 * One CDR as a `call` event. Inbound and missed calls (types I and M) and outbound calls (O); other
 * types (calls between extensions) are not customer contacts and make no event. The call was
 * answered `billsec` seconds before it ended; the customer is the other party's number; the agent
 * is the user on the call when it was answered or placed.
 */
export function cdrEvents(
  cdr: VoipstudioCdr,
  context: Pick<NormalizeContext, 'tenant' | 'defaultCountry'>,
  zone: string,
): NormalizedEvent[] {
  const direction = DIRECTIONS[cdr.type];
  if (!direction) return [];
  const started = instant(cdr.calldate, zone);
  if (!started.isValid) return [];
  const ended = started.plus({ seconds: cdr.duration });
  const result = outcome(cdr);
  const answered =
    result === 'answered' ? DateTime.max(started, ended.minus({ seconds: cdr.billsec })) : undefined;
  const party = direction === 'inbound' ? cdr.src : cdr.dst;
  const user = result === 'answered' || direction === 'outbound' ? cdr.user_id : undefined;
  const iso = (at: DateTime) => at.toISO({ suppressMilliseconds: true }) as string;
  return finish([
    {
      id: `voipstudio:cdr:${cdr.id}`,
      type: 'call',
      at: iso(started),
      source: 'voipstudio',
      tenant: context.tenant,
      channel: 'phone',
      customer: customerKeys(partyKey(party, `voipstudio:${cdr.id}`, context.defaultCountry)),
      agent: user ? `voipstudio:${user}` : undefined,
      call: {
        id: `voipstudio:${cdr.id}`,
        direction,
        started_at: iso(started),
        ...(answered ? { answered_at: iso(answered) } : {}),
        ended_at: iso(ended),
        // CDRs do not say how long a call was held.
        hold_seconds: 0,
        outcome: result,
      },
    },
  ]);
}
