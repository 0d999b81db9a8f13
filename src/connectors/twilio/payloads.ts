/**
 * Twilio posts form-encoded parameters (or, for JSON callbacks, a flat JSON object of them).
 * Voice status callbacks (twilio.com/docs/voice/api/call-resource#statuscallback): CallSid,
 * CallStatus, Direction, From, To, Timestamp (RFC 2822), CallDuration. TaskRouter event callbacks
 * (twilio.com/docs/taskrouter/api/event): EventType, Timestamp (Unix seconds), TaskSid,
 * TaskAttributes (JSON with the call's call_sid), TaskQueueSid, WorkerSid, WorkerAttributes.
 */
export type TwilioPayload =
  | { kind: 'voice'; params: VoiceStatus }
  | { kind: 'task'; params: TaskEvent }
  | { kind: 'ignored'; what: string };

export interface VoiceStatus {
  CallSid: string;
  CallStatus: string;
  Direction: string;
  From?: string;
  To?: string;
  Timestamp: string;
  CallDuration?: string;
}

export interface TaskEvent {
  EventType: string;
  Timestamp: string;
  TaskSid: string;
  callSid: string;
  customer?: string;
  TaskQueueSid?: string;
  WorkerSid?: string;
  workerEmail?: string;
  TaskCanceledReason?: string;
}

/** TaskRouter events that change a call's life; the others are acknowledged and ignored. */
export const TASK_EVENTS = new Set([
  'task.created',
  'reservation.accepted',
  'task.canceled',
  'task.completed',
  'task.wrapup',
  'workflow.timeout',
]);
export const VOICE_FINAL = new Set(['completed', 'busy', 'no-answer', 'failed', 'canceled']);

function json(text: string | undefined): Record<string, unknown> {
  if (!text) return {};
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const string = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

export function readParams(body: Buffer, isJson: boolean): Record<string, string> | string {
  if (!isJson) return Object.fromEntries(new URLSearchParams(body.toString('utf8')));
  const value = json(body.toString('utf8'));
  if (Object.keys(value).length === 0) return 'the JSON body must be an object of callback parameters';
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => [key, typeof v === 'string' ? v : JSON.stringify(v)]),
  );
}

export function classify(
  params: Record<string, string>,
): { ok: true; payload: TwilioPayload } | { ok: false; reason: string } {
  const missing = (...names: string[]) => names.filter((name) => !params[name]);
  if (params.EventType) {
    if (!TASK_EVENTS.has(params.EventType))
      return { ok: true, payload: { kind: 'ignored', what: params.EventType } };
    const absent = missing('Timestamp', 'TaskSid', 'TaskAttributes');
    if (absent.length > 0)
      return { ok: false, reason: `${absent.join(', ')} ${absent.length > 1 ? 'are' : 'is'} required` };
    const attributes = json(params.TaskAttributes);
    const callSid = string(attributes.call_sid);
    // A task that is not a voice call (chat, e-mail tasks) is none of this connector's business.
    if (!callSid)
      return { ok: true, payload: { kind: 'ignored', what: `${params.EventType} (not a voice task)` } };
    if (!/^\d+$/.test(params.Timestamp as string))
      return { ok: false, reason: 'Timestamp must be Unix seconds' };
    const worker = json(params.WorkerAttributes);
    return {
      ok: true,
      payload: {
        kind: 'task',
        params: {
          EventType: params.EventType,
          Timestamp: params.Timestamp as string,
          TaskSid: params.TaskSid as string,
          callSid,
          customer: string(attributes.from) ?? string(attributes.caller),
          TaskQueueSid: params.TaskQueueSid || undefined,
          WorkerSid: params.WorkerSid || undefined,
          workerEmail: string(worker.email),
          TaskCanceledReason: params.TaskCanceledReason || undefined,
        },
      },
    };
  }
  if (params.CallSid || params.CallStatus) {
    const absent = missing('CallSid', 'CallStatus', 'Direction', 'Timestamp');
    if (absent.length > 0)
      return { ok: false, reason: `${absent.join(', ')} ${absent.length > 1 ? 'are' : 'is'} required` };
    if (Number.isNaN(Date.parse(params.Timestamp as string)))
      return { ok: false, reason: 'Timestamp must be an RFC 2822 date' };
    return { ok: true, payload: { kind: 'voice', params: params as unknown as VoiceStatus } };
  }
  return {
    ok: true,
    payload: { kind: 'ignored', what: 'neither a voice status callback nor a TaskRouter event' },
  };
}
