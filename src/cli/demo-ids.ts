import { SAMPLE_TEAMS } from './sample-data.js';

/** The sample's people, teams and calls as the demo's providers number them. */
export const AGENT_IDS: Record<string, string> = Object.fromEntries(
  Object.values(SAMPLE_TEAMS)
    .flat()
    .map((agent, index) => [agent, String(1001 + index)]),
);
export const GROUP_IDS: Record<string, string> = Object.fromEntries(
  Object.keys(SAMPLE_TEAMS).map((team, index) => [team, String(201 + index)]),
);
/** A TaskRouter queue per team and a worker per agent (SIDs are 34 characters). */
export const QUEUE_SIDS: Record<string, string> = Object.fromEntries(
  Object.keys(SAMPLE_TEAMS).map((team, index) => [team, `WQ${String(index + 1).padStart(32, '0')}`]),
);
export const workerSid = (agent: string) => `WK${(AGENT_IDS[agent] ?? '0').padStart(32, '0')}`;
export const agentEmail = (agent: string) => `${agent}@support.example`;

/** A sample `call` event, as the providers' traffic reads it. */
export interface SampleCall {
  id: string;
  customer: string;
  agent?: string;
  team?: string;
  call: { id: string; started_at: string; answered_at?: string; ended_at: string; outcome: string };
}

export const unix = (iso: string) => Math.floor(Date.parse(iso) / 1000);
export const callNumber = (id: string) => Number(id.replace(/\D/g, ''));

/** The e-mail and phone number in a sample event's customer keys. */
export function contactOf(customer: unknown): { email?: string; phone?: string } {
  const keys = ([] as string[]).concat(customer as string | string[]);
  const email = keys.find((key) => key.startsWith('email:'))?.slice(6);
  const phone = keys.find((key) => key.startsWith('phone:'))?.slice(6);
  return { ...(email ? { email } : {}), ...(phone ? { phone } : {}) };
}

/** The latest instant among events (ISO strings compare in time order). */
export const lastAt = (events: ReadonlyArray<{ at?: unknown }>): string =>
  events.reduce<string>(
    (latest, event) => ((event.at as string) > latest ? (event.at as string) : latest),
    '',
  );
