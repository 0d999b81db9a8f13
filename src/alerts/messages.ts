import { humanizeSeconds } from '../metrics/humanize.js';
import { ticketUrl } from '../model/config.js';

export interface Alert {
  id: string;
  tenant: string;
  ticket: string;
  kind: 'at_risk' | 'breached';
  policy: string;
  metric: string;
  target_seconds: number;
  due_at: string | null;
  /** Seconds left until the breach (at risk) or past it (breached), in the policy's clock. */
  seconds_left: number;
  business: boolean;
  set_for: string;
  fired_at: string;
  lag_ms: number;
  agent: string | null;
  team: string | null;
  priority: string | null;
  taken_by?: string;
}

/** Text from tickets and people, escaped for Slack's mrkdwn (`&`, `<`, `>`). */
export const escapeMrkdwn = (text: string): string =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

const METRIC: Record<string, string> = {
  first_response: 'first response',
  next_response: 'next response',
  resolution: 'resolution',
};

/** The link into the helpdesk: the tenant's template with the ticket's id (`zendesk:4521` → 4521). */
export function ticketLink(ticket: string, template: string | undefined): string {
  const label = escapeMrkdwn(ticket);
  const url = ticketUrl(ticket, template);
  return url === null ? `*${label}*` : `<${url}|${label}>`;
}

/**
 * An instant as Slack shows dates: in each reader's own time zone (`<!date^…>`), the UTC instant
 * where a client cannot format it.
 */
export function slackDate(instant: string): string {
  const seconds = Math.floor(Date.parse(instant) / 1000);
  return `<!date^${seconds}^{date_short_pretty} {time}|${instant.replace('.000Z', 'Z')}>`;
}

/** The alert as a Block Kit message: what, which ticket, who, how long, and an "I'm on it" button. */
export function alertMessage(
  alert: Alert,
  ticketUrl: string | undefined,
): { text: string; blocks: unknown[] } {
  const metric = METRIC[alert.metric] ?? alert.metric;
  const clock = alert.business ? ' business' : '';
  const title =
    alert.kind === 'at_risk'
      ? `:warning: SLA at risk: ${metric} of ${alert.ticket}`
      : `:rotating_light: SLA breached: ${metric} of ${alert.ticket}`;
  const timing =
    alert.kind === 'at_risk'
      ? `${humanizeSeconds(alert.seconds_left)}${clock} left`
      : `${humanizeSeconds(Math.max(0, -alert.seconds_left))}${clock} overdue`;
  const lines = [
    `${ticketLink(alert.ticket, ticketUrl)} — ${escapeMrkdwn(metric)} target ${humanizeSeconds(alert.target_seconds)}${clock} (policy ${escapeMrkdwn(alert.policy)})`,
    `*${timing}*${alert.due_at ? ` · due ${slackDate(alert.due_at)}` : ''}`,
    `Assignee: ${alert.agent ? escapeMrkdwn(alert.agent) : '_unassigned_'} · Team: ${alert.team ? escapeMrkdwn(alert.team) : '_none_'}`,
  ];
  if (alert.taken_by) lines.push(`:raising_hand: ${escapeMrkdwn(alert.taken_by)} is on it`);
  const blocks: unknown[] = [
    { type: 'header', text: { type: 'plain_text', text: title.slice(0, 150), emoji: true } },
    { type: 'section', text: { type: 'mrkdwn', text: lines.join('\n') } },
  ];
  if (!alert.taken_by) {
    blocks.push({
      type: 'actions',
      elements: [
        {
          type: 'button',
          action_id: 'deskpulse_on_it',
          text: { type: 'plain_text', text: "I'm on it" },
          value: `${alert.tenant}|${alert.id}`,
          style: 'primary',
        },
      ],
    });
  }
  return { text: title, blocks };
}

/** The follow-up posted (in the alert's thread where Slack gives one) once the ticket moved on. */
export function followUpMessage(
  alert: Alert,
  what: 'answered' | 'resolved',
  by: string | null,
  ticketUrl: string | undefined,
): { text: string; blocks: unknown[] } {
  const metric = METRIC[alert.metric] ?? alert.metric;
  const text = `:white_check_mark: ${alert.ticket} ${what}${by ? ` by ${by}` : ''} (${metric} ${alert.kind === 'at_risk' ? 'was at risk' : 'was breached'})`;
  const line = `:white_check_mark: ${ticketLink(alert.ticket, ticketUrl)} ${what}${by ? ` by ${escapeMrkdwn(by)}` : ''} — the ${escapeMrkdwn(metric)} alert (${alert.kind === 'at_risk' ? 'at risk' : 'breached'}) is settled`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: line } }] };
}
