/**
 * The demo's stand-ins for the provider APIs that webhooks only point at: LiveAgent's tickets,
 * message groups, agents and contacts, and VoIPstudio's CDRs, served in those APIs' documented
 * shapes to the connectors' own requests (the service's `fetch`). Every other request goes out as usual.
 */
export interface DemoApiData {
  liveagent: {
    tickets: Map<
      string,
      {
        ticket: Record<string, unknown>;
        groups: Array<Record<string, unknown>>;
        history: Array<Record<string, unknown>>;
      }
    >;
    agents: Map<string, Record<string, unknown>>;
    contacts: Map<string, Record<string, unknown>>;
  };
  freshdesk: {
    tickets: Map<string, { ticket: Record<string, unknown>; conversations: Array<Record<string, unknown>> }>;
    agents: Map<string, Record<string, unknown>>;
  };
  /** CDRs with `calldate` in UTC (the demo account's zone), and the account's users by id. */
  voipstudio: Array<Record<string, unknown> & { calldate: string }>;
  voipstudioUsers: Map<string, Record<string, unknown>>;
}

export const LIVEAGENT_HOST = 'demo.ladesk.com';
export const VOIPSTUDIO_HOST = 'l7api.com';
export const FRESHDESK_HOST = 'demo.freshdesk.com';

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function page<T>(items: T[], pageNumber: number, size: number): T[] {
  return items.slice((pageNumber - 1) * size, pageNumber * size);
}

export function demoFetch(data: DemoApiData, outside: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.host === LIVEAGENT_HOST) return liveagent(data.liveagent, url);
    if (url.host === FRESHDESK_HOST) return freshdesk(data.freshdesk, url);
    if (url.host === VOIPSTUDIO_HOST && url.pathname === '/v1.2/voipstudio/cdrs')
      return cdrs(data.voipstudio, url);
    const user = /^\/v1\.2\/voipstudio\/users\/([^/]+)$/.exec(url.pathname);
    if (url.host === VOIPSTUDIO_HOST && user) {
      const found = data.voipstudioUsers.get(decodeURIComponent(user[1] as string));
      return found ? json({ data: found, links: {} }) : json({ message: 'Resource not found' }, 404);
    }
    return outside(input, init);
  };
}

function liveagent(data: DemoApiData['liveagent'], url: URL): Response {
  const parts = url.pathname
    .replace(/^\/api\/v3\//, '')
    .split('/')
    .map(decodeURIComponent);
  const size = Number(url.searchParams.get('_perPage') ?? 10);
  const pageNumber = Number(url.searchParams.get('_page') ?? 1);
  if (parts[0] === 'tickets' && parts.length === 1) {
    const filters = JSON.parse(url.searchParams.get('_filters') ?? '[]') as Array<[string, string, string]>;
    const since = filters.find(([field, op]) => field === 'date_changed' && op === 'D>=')?.[2] ?? '';
    const tickets = [...data.tickets.values()]
      .map(({ ticket }) => ticket)
      .filter((ticket) => String(ticket.date_changed) >= since)
      .sort((a, b) => String(a.date_changed).localeCompare(String(b.date_changed)));
    return json(page(tickets, pageNumber, size));
  }
  if (parts[0] === 'tickets' && parts[1]) {
    const found = data.tickets.get(parts[1]);
    if (!found) return json({ message: 'Ticket does not exist' }, 404);
    if (parts[2] === 'messages') return json(page(found.groups, pageNumber, size));
    if (parts[2] === 'history') return json(found.history);
    return parts[2] === undefined ? json(found.ticket) : json({ message: 'Not found' }, 404);
  }
  const record =
    parts[0] === 'agents'
      ? data.agents.get(parts[1] ?? '')
      : parts[0] === 'contacts'
        ? data.contacts.get(parts[1] ?? '')
        : undefined;
  return record ? json(record) : json({ message: 'Not found' }, 404);
}

function cdrs(data: DemoApiData['voipstudio'], url: URL): Response {
  const filter = JSON.parse(url.searchParams.get('filter') ?? '[]') as Array<{
    property: string;
    operator: string;
    value: string;
  }>;
  const matching = data.filter((cdr) =>
    filter.every(({ property, operator, value }) =>
      property !== 'calldate'
        ? true
        : operator === 'gte'
          ? cdr.calldate >= value
          : operator === 'lte'
            ? cdr.calldate <= value
            : true,
    ),
  );
  const limit = Number(url.searchParams.get('limit') ?? 20);
  return json({
    data: page(matching, Number(url.searchParams.get('page') ?? 1), limit),
    total: matching.length,
  });
}

function freshdesk(data: DemoApiData['freshdesk'], url: URL): Response {
  const parts = url.pathname
    .replace(/^\/api\/v2\//, '')
    .split('/')
    .map(decodeURIComponent);
  if (parts[0] === 'tickets' && parts[1]) {
    const found = data.tickets.get(parts[1]);
    if (!found) return json({ code: 'access_denied' }, 404);
    if (parts[2] !== 'conversations') return json(found.ticket);
    const size = Number(url.searchParams.get('per_page') ?? 30);
    return json(page(found.conversations, Number(url.searchParams.get('page') ?? 1), size));
  }
  const agent = parts[0] === 'agents' ? data.agents.get(parts[1] ?? '') : undefined;
  return agent ? json(agent) : json({ code: 'access_denied' }, 404);
}
