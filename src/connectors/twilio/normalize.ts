import type { NormalizedEvent } from '../../model/events.js';
import { customerKeys, phoneKey } from '../customer.js';
import { finish } from '../shared.js';
import type { NormalizeContext } from '../types.js';
import { type TaskEvent, type TwilioPayload, type VoiceStatus, VOICE_FINAL } from './payloads.js';

/**
 * A Twilio call is told in several deliveries: voice status callbacks (initiated, ringing,
 * in-progress, completed …) and, when calls queue through TaskRouter, the task's events, in any
 * order. Each delivery adds what it knows to the call's scratch record; the delivery that
 * completes the picture (the call has ended and its task is settled) emits the one `call` event.
 * A call that ended without a settled task is decided `settle_seconds` later, as it is known then.
 */
export async function normalizeTwilio(
  payload: TwilioPayload,
  context: NormalizeContext,
  settleMs: number,
): Promise<NormalizedEvent[]> {
  if (payload.kind === 'ignored') return [];
  if (!context.scratch) throw new Error('the twilio connector needs a scratch pad to combine deliveries');
  const sid = payload.kind === 'voice' ? payload.params.CallSid : payload.params.callSid;
  const fields =
    payload.kind === 'voice' ? voiceFields(payload.params) : await taskFields(payload.params, context);
  const record = await context.scratch.merge(sid, fields);
  if (!record.ended) return [];
  if (!settled(record)) {
    // Ended, but its TaskRouter events (if the call queued at all) may still be on their way:
    // decide after the settling time with whatever has arrived by then.
    await context.defer?.(sid, settleMs);
    return [];
  }
  return emitOnce(sid, record, context);
}

/** The settling time is over: the call as it is known now, unless it was already emitted. */
export async function finalizeTwilio(sid: string, context: NormalizeContext): Promise<NormalizedEvent[]> {
  if (!context.scratch) throw new Error('the twilio connector needs a scratch pad to combine deliveries');
  const record = await context.scratch.merge(sid, {});
  return record.ended ? emitOnce(sid, record, context) : [];
}

async function emitOnce(
  sid: string,
  record: Record<string, string>,
  context: NormalizeContext,
): Promise<NormalizedEvent[]> {
  if (!context.scratch || !(await context.scratch.claim(sid))) return [];
  return callEvent(sid, record, context);
}

function voiceFields(params: VoiceStatus): Record<string, string> {
  const at = new Date(Date.parse(params.Timestamp)).toISOString();
  const fields: Record<string, string> = {
    direction: params.Direction.startsWith('outbound') ? 'outbound' : 'inbound',
  };
  const other = params.Direction.startsWith('outbound') ? params.To : params.From;
  if (other) fields.number = other;
  if (VOICE_FINAL.has(params.CallStatus)) {
    fields.ended = at;
    fields.final = params.CallStatus;
    if (params.CallDuration) fields.duration = params.CallDuration;
  } else {
    fields[`at:${params.CallStatus}`] = at;
  }
  return fields;
}

async function taskFields(params: TaskEvent, context: NormalizeContext): Promise<Record<string, string>> {
  const at = new Date(Number(params.Timestamp) * 1000).toISOString();
  const fields: Record<string, string> = { task: params.TaskSid };
  if (params.customer) fields.number = params.customer;
  if (params.TaskQueueSid) fields.queue = params.TaskQueueSid;
  switch (params.EventType) {
    case 'task.created':
      fields['at:task'] = at;
      break;
    case 'reservation.accepted':
      fields.accepted = at;
      if (params.WorkerSid) {
        fields.worker = params.WorkerSid;
        if (params.workerEmail)
          await context.users.remember(params.WorkerSid, { role: 'agent', email: params.workerEmail });
      }
      break;
    case 'task.canceled':
      fields.canceled = at;
      break;
    case 'workflow.timeout':
      fields.timeout = at;
      break;
    default:
      fields.settled = at;
  }
  return fields;
}

/** The call's TaskRouter task has been answered, canceled or timed out. */
function settled(record: Record<string, string>): boolean {
  return Boolean(record.task && (record.accepted || record.canceled || record.timeout || record.settled));
}

function callEvent(
  sid: string,
  record: Record<string, string>,
  context: NormalizeContext,
): NormalizedEvent[] {
  const ended = Date.parse(record.ended as string);
  const marks = Object.entries(record)
    .filter(([name]) => name.startsWith('at:'))
    .map(([, value]) => Date.parse(value));
  const duration = Number(record.duration);
  if (marks.length === 0 && Number.isFinite(duration)) marks.push(ended - duration * 1000);
  const started = Math.min(ended, ...marks);
  const viaTask = Boolean(record.task);
  // Through TaskRouter a call is answered when a worker accepts it; without, when it is in progress.
  const answeredAt = viaTask ? record.accepted : record['at:in-progress'];
  const answered = answeredAt ? Math.min(Math.max(Date.parse(answeredAt), started), ended) : undefined;
  const outcome =
    answered !== undefined
      ? 'answered'
      : record.canceled || (viaTask && record.final === 'completed')
        ? 'abandoned'
        : 'missed';
  const iso = (ms: number) => new Date(ms).toISOString();
  return finish([
    {
      id: `twilio:call:${sid}`,
      type: 'call',
      at: iso(started),
      source: 'twilio',
      tenant: context.tenant,
      channel: 'phone',
      customer: customerKeys(phoneKey(record.number, `twilio:${sid}`, context.defaultCountry)),
      agent: answered !== undefined && record.worker ? `twilio:${record.worker}` : undefined,
      team: record.queue ? `twilio:${record.queue}` : undefined,
      call: {
        id: `twilio:${sid}`,
        direction: record.direction === 'outbound' ? 'outbound' : 'inbound',
        started_at: iso(started),
        ...(answered !== undefined ? { answered_at: iso(answered) } : {}),
        ended_at: iso(ended),
        hold_seconds: 0,
        outcome,
      },
    },
  ]);
}
