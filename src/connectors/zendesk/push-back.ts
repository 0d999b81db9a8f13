import { getJson, putJson } from '../http.js';
import type { TicketValues } from '../types.js';
import { zendeskApi } from './api.js';
import type { ZendeskSettings } from './settings.js';

export type { TicketValues };

export const PUSH_TAGS = ['deskpulse_fcr', 'deskpulse_sla_breached', 'deskpulse_sla_at_risk'] as const;

/** The `update_many` entry of one ticket: custom fields by id, tags added and removed. */
export function ticketUpdate(
  id: string,
  values: TicketValues,
  settings: NonNullable<ZendeskSettings['push_back']>,
): Record<string, unknown> {
  const custom_fields: Array<{ id: number; value: unknown }> = [];
  for (const [name, fieldId] of Object.entries(settings.fields)) {
    if (fieldId === undefined) continue;
    const value = values[name as keyof TicketValues];
    custom_fields.push({
      id: fieldId,
      value: typeof value === 'boolean' ? value : value === null ? null : value,
    });
  }
  const update: Record<string, unknown> = { id: Number(id) };
  if (custom_fields.length > 0) update.custom_fields = custom_fields;
  if (settings.tags) {
    const want = new Set<string>();
    if (values.fcr) want.add('deskpulse_fcr');
    if (values.sla_state === 'breached') want.add('deskpulse_sla_breached');
    if (values.sla_state === 'at_risk') want.add('deskpulse_sla_at_risk');
    update.additional_tags = [...want];
    update.remove_tags = PUSH_TAGS.filter((tag) => !want.has(tag));
  }
  return update;
}

interface JobStatus {
  id: string;
  status: 'queued' | 'working' | 'failed' | 'completed' | 'killed';
  message?: string | null;
  results?: Array<{ id: number; success?: boolean; error?: string; details?: string }> | null;
}

/**
 * `PUT /api/v2/tickets/update_many.json` (up to 100 tickets), then its job status followed until
 * it is done. 429s are waited out as `Retry-After` says. Returns the ids Zendesk updated.
 */
export async function updateMany(
  settings: ZendeskSettings,
  updates: Array<Record<string, unknown>>,
  options: { fetch: typeof fetch; sleep: (ms: number) => Promise<void>; pollMs?: number },
): Promise<{ updated: number[]; failed: Array<{ id: number; error: string }> }> {
  const api = zendeskApi(settings, options.fetch, options.sleep);
  let status = (
    await putJson<{ job_status: JobStatus }>('/api/v2/tickets/update_many.json', { tickets: updates }, api)
  ).job_status;
  while (status.status === 'queued' || status.status === 'working') {
    await options.sleep(options.pollMs ?? 1000);
    status = (
      await getJson<{ job_status: JobStatus }>(
        `/api/v2/job_statuses/${encodeURIComponent(status.id)}.json`,
        api,
      )
    ).job_status;
  }
  if (status.status !== 'completed')
    throw new Error(`Zendesk job ${status.id} ${status.status}: ${status.message ?? ''}`);
  const updated: number[] = [];
  const failed: Array<{ id: number; error: string }> = [];
  for (const result of status.results ?? []) {
    if (result.success === false || result.error)
      failed.push({ id: result.id, error: result.error ?? result.details ?? 'failed' });
    else updated.push(result.id);
  }
  return { updated, failed };
}
