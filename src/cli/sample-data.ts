import type { NormalizedEventInput } from '../model/events.js';

/**
 * A deterministic, realistic multi-channel data set: e-mail, chat and phone tickets with replies,
 * pending periods, reopens, opening and repeat calls, abandoned calls, calls that never become a
 * ticket, and satisfaction surveys. The same seed and size give the same events, byte for byte.
 */
export interface SampleOptions {
  tickets: number;
  seed?: number;
  /** First day of the data set (a Monday is most realistic). */
  start?: string;
  days?: number;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const SAMPLE_TEAMS: Record<string, string[]> = {
  billing: ['maria', 'lee', 'priya'],
  technical: ['tomas', 'yuki', 'sam', 'ines'],
  emea: ['karl', 'amelie'],
};

const MINUTE = 60_000;

export function* generateSample(options: SampleOptions): Generator<NormalizedEventInput> {
  const random = mulberry32(options.seed ?? 42);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const chance = (p: number) => random() < p;
  /** Exponential-ish delay with a given median, in ms. */
  const delay = (medianMinutes: number) =>
    Math.round(-Math.log(1 - random()) * medianMinutes * Math.LOG2E * MINUTE);
  const start = Date.parse(options.start ?? '2026-03-02T00:00:00Z');
  const days = options.days ?? 14;
  const iso = (ms: number) => new Date(ms).toISOString();
  const teams = Object.keys(SAMPLE_TEAMS);
  let serial = 0;
  const id = () => {
    serial += 1;
    return `s-${serial}`;
  };

  for (let n = 1; n <= options.tickets; n += 1) {
    const ticket = `sample:${n}`;
    const team = pick(teams);
    const agent = pick(SAMPLE_TEAMS[team] as string[]);
    const roll = random();
    const channel = roll < 0.5 ? 'email' : roll < 0.72 ? 'chat' : 'phone';
    const customerNo = Math.floor(random() * Math.max(10, options.tickets * 0.8));
    const email = `email:customer${customerNo}@example.com`;
    const phone = `phone:+1415555${String(customerNo % 10000).padStart(4, '0')}`;
    const customer = channel === 'email' ? email : [email, phone];
    // Most work arrives in the team's office hours (US: 14:00–22:00 UTC, EMEA: 07:00–15:00 UTC),
    // some at night and at weekends.
    const day = Math.floor(random() * days);
    const officeStart = team === 'emea' ? 7 : 14;
    const hour = chance(0.8) ? officeStart + random() * 7.5 : random() * 24;
    let t = start + day * 86_400_000 + Math.floor(hour * 60) * MINUTE;
    const priority = pick(['low', 'normal', 'normal', 'normal', 'high', 'urgent'] as const);
    const source = channel === 'chat' ? 'intercom' : 'zendesk';

    if (channel === 'phone') {
      const answered = chance(0.9);
      yield call(
        id(),
        t,
        phone,
        answered ? 'answered' : 'missed',
        answered ? agent : undefined,
        team,
        random,
      );
      t += MINUTE * (2 + Math.floor(random() * 3));
    }
    yield {
      id: id(),
      type: 'ticket.created',
      at: iso(t),
      source,
      ticket,
      channel,
      customer,
      priority,
      team,
      agent,
    };
    yield { id: id(), type: 'message', at: iso(t), source, ticket, author: 'customer', public: true };
    if (chance(0.05)) {
      // Spam or a duplicate: closed without a word.
      yield { id: id(), type: 'ticket.updated', at: iso(t + delay(30)), source, ticket, status: 'closed' };
      continue;
    }
    t += channel === 'chat' ? delay(2) : delay(45);
    if (chance(0.15))
      yield {
        id: id(),
        type: 'message',
        at: iso(t - MINUTE),
        source,
        ticket,
        author: 'agent',
        agent,
        public: false,
      };
    yield { id: id(), type: 'message', at: iso(t), source, ticket, author: 'agent', agent, public: true };
    yield {
      id: id(),
      type: 'ticket.updated',
      at: iso(t),
      source,
      ticket,
      status: chance(0.4) ? 'pending' : 'open',
    };
    let rounds = chance(0.35) ? 1 + Math.floor(random() * 3) : 0;
    while (rounds > 0) {
      t += delay(120);
      if (channel === 'phone' && chance(0.5)) {
        yield call(id(), t, phone, 'answered', agent, team, random);
      } else {
        yield { id: id(), type: 'message', at: iso(t), source, ticket, author: 'customer', public: true };
        yield { id: id(), type: 'ticket.updated', at: iso(t), source, ticket, status: 'open' };
      }
      t += delay(60);
      yield { id: id(), type: 'message', at: iso(t), source, ticket, author: 'agent', agent, public: true };
      rounds -= 1;
    }
    if (chance(0.85)) {
      t += delay(30);
      yield { id: id(), type: 'ticket.updated', at: iso(t), source, ticket, status: 'solved' };
      if (chance(0.08)) {
        t += delay(600);
        yield { id: id(), type: 'message', at: iso(t), source, ticket, author: 'customer', public: true };
        yield { id: id(), type: 'ticket.updated', at: iso(t), source, ticket, status: 'open' };
        t += delay(60);
        yield { id: id(), type: 'message', at: iso(t), source, ticket, author: 'agent', agent, public: true };
        yield { id: id(), type: 'ticket.updated', at: iso(t), source, ticket, status: 'solved' };
      }
      if (chance(0.3)) {
        const score = chance(0.85) ? 4 + Math.floor(random() * 2) : 1 + Math.floor(random() * 3);
        yield {
          id: id(),
          type: 'survey',
          at: iso(t + delay(240)),
          source,
          ticket,
          kind: 'csat',
          score,
          scale_max: 5,
        };
      }
    }
    if (chance(0.04)) {
      // A caller who never became a ticket: sometimes calls again within the week.
      const caller = `phone:+1628555${String(n % 10000).padStart(4, '0')}`;
      let when =
        start + Math.floor(random() * days) * 86_400_000 + Math.floor((14 + random() * 8) * 60) * MINUTE;
      for (let calls = chance(0.3) ? 2 : 1; calls > 0; calls -= 1) {
        const outcome = chance(0.8) ? 'answered' : 'abandoned';
        yield call(id(), when, caller, outcome, outcome === 'answered' ? agent : undefined, team, random);
        when += delay(1440);
      }
    }
  }
}

function call(
  id: string,
  started: number,
  customer: string,
  outcome: 'answered' | 'missed' | 'abandoned',
  agent: string | undefined,
  team: string,
  random: () => number,
): NormalizedEventInput {
  const wait = Math.round(5 + random() * 90) * 1000;
  const talk = Math.round(60 + random() * 600) * 1000;
  const answered = outcome === 'answered';
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    id,
    type: 'call',
    at: iso(started),
    source: 'aircall',
    customer,
    channel: 'phone',
    ...(answered ? { agent, team } : {}),
    call: {
      id: `call-${id}`,
      direction: 'inbound',
      started_at: iso(started),
      ...(answered ? { answered_at: iso(started + wait) } : {}),
      ended_at: iso(started + wait + (answered ? talk : 0)),
      hold_seconds: answered && random() < 0.3 ? Math.round(random() * 60) : 0,
      outcome,
    },
  };
}
