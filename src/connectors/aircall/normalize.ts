import type { NormalizedEvent } from '../../model/events.js';
import { customerKeys, emailKey, phoneKey } from '../customer.js';
import { finish, isoFromUnix } from '../shared.js';
import type { NormalizeContext } from '../types.js';
import type { AircallCall } from './payloads.js';

// Aircall's missed_call_reason values: the caller hung up (abandoned) or nobody took the call (missed).
const ABANDONED = new Set(['short_abandoned', 'abandoned_in_ivr', 'abandoned_in_classic']);

export function outcome(call: AircallCall): 'answered' | 'missed' | 'abandoned' | 'voicemail' {
  if (call.answered_at) return 'answered';
  if (call.voicemail) return 'voicemail';
  if (call.missed_call_reason && ABANDONED.has(call.missed_call_reason)) return 'abandoned';
  return 'missed';
}

/**
 * One finished Aircall call as a `call` event. The agent is the user on the call; the team is the
 * call's first team, else the Aircall number (`aircall-number:<id>`, mappable in the tenant's
 * teams); the customer is the other party's number in E.164 plus the contact's e-mails.
 */
export async function normalizeCall(
  call: AircallCall,
  context: NormalizeContext,
): Promise<NormalizedEvent[]> {
  const started = isoFromUnix(call.started_at);
  const ended = isoFromUnix(Math.max(call.ended_at ?? call.started_at, call.started_at));
  const answered = call.answered_at
    ? isoFromUnix(Math.min(Math.max(call.answered_at, call.started_at), call.ended_at ?? call.answered_at))
    : undefined;
  // The agent is who answered (or who dialled out): the user of an unanswered inbound call only rang.
  const user = call.answered_at || call.direction === 'outbound' ? (call.user ?? undefined) : undefined;
  if (user?.email) await context.users.remember(user.id, { role: 'agent', email: user.email });
  const team = call.teams?.[0]?.id;
  return finish([
    {
      id: `aircall:call:${call.id}`,
      type: 'call',
      at: started,
      source: 'aircall',
      tenant: context.tenant,
      channel: 'phone',
      customer: customerKeys(
        phoneKey(call.raw_digits, `aircall:${call.id}`, context.defaultCountry),
        ...(call.contact?.emails ?? []).map((email) => emailKey(email.value)),
      ),
      agent: user ? `aircall:${user.id}` : undefined,
      team: team ? `aircall:${team}` : call.number ? `aircall-number:${call.number.id}` : undefined,
      call: {
        id: `aircall:${call.id}`,
        direction: call.direction,
        started_at: started,
        ...(answered ? { answered_at: answered } : {}),
        ended_at: ended,
        hold_seconds: 0,
        outcome: outcome(call),
      },
    },
  ]);
}
