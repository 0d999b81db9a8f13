import {
  AUTHORS,
  CHANNELS,
  type Channel,
  type NormalizedEvent,
  PRIORITIES,
  STATUSES,
} from '../model/events.js';
import { sortEvents, type TimedCall, type TimedEvent, type TimedSurvey, timed } from './timeline.js';
import { instantMs } from '../model/instant.js';

const NONE = -1;
/** ticket.updated's explicit null (unassigned). */
const NULL = -2;
/** `ref` at or below this names a string: `STRING_REF - index`. */
const STRING_REF = -3;
const OBJECT = 0;
const MESSAGE = 1;
const UPDATE = 2;
const CREATED = 3;
const ID_CHUNK = 4096;

/**
 * Collects one tenant's events, bucketed by ticket, for `compute`. The same id twice is one event
 * and the copy received first wins. Ticket events and messages always carry their ticket, so
 * their copies meet in one bucket and are dropped there when it is taken (a million-entry set
 * costs more than the whole engine); calls and surveys may come once without and once with a
 * ticket, so their ids are checked here.
 *
 * Messages, ticket creations and updates — nine in ten events of a data set — are not kept as
 * the decoded objects but as a few numbers in columns (typed arrays; names, teams and the like
 * as indexes into one list of distinct strings) and made into objects again, one ticket at a
 * time, when the ticket is taken. A million kept objects each with their strings is what made
 * the garbage collector the largest cost of `deskpulse compute` (README, Performance); calls
 * and surveys are fewer and varied, and are kept as they came.
 */
export class EventCollector {
  private readonly looseKinds = new Set<string>();
  readonly looseCalls: TimedCall[] = [];
  readonly looseSurveys: TimedSurvey[] = [];
  duplicates = 0;

  private readonly ticketIndex = new Map<string, number>();
  private readonly ticketKeys: string[] = [];
  /** Per ticket: its first and last event (a list threaded through `next`). */
  private head: Int32Array = new Int32Array(1024);
  private tail: Int32Array = new Int32Array(1024);

  /** Distinct strings (agents, teams, single customer keys), by index. */
  private readonly stringIndex = new Map<string, number>();
  private readonly strings: string[] = [];
  /** Values kept as they came: whole events of other types, lists of customer keys, tags. */
  private readonly objects: unknown[] = [];

  private size = 0;
  private lastTicket = '';
  private lastIndex = 0;
  /**
   * Every event's id, as the ids of each `ID_CHUNK` events joined into one string (and the
   * current chunk's still as a list): a million kept id strings were a million objects for the
   * garbage collector to copy and mark. `idEnd` is where each id ends in its chunk.
   */
  private readonly idChunks: string[] = [];
  private idsPending: string[] = [];
  private idEnd = new Int32Array(1024);
  private t = new Float64Array(1024);
  private next = new Int32Array(1024);
  private kind = new Uint8Array(1024);
  /** message: author; update: status (+1, 0 when absent); creation: outbound (0 absent, 1 false, 2 true). */
  private code = new Uint8Array(1024);
  /** message: public (1) or not (0); update and creation: priority (+1, 0 when absent). */
  private flag = new Uint8Array(1024);
  private channel = new Uint8Array(1024);
  private agent = new Int32Array(1024);
  private team = new Int32Array(1024);
  /**
   * The whole event (OBJECT: an index into `objects`), or the customer: one key as a string
   * (`STRING_REF - index`, see `customerRef`), several as a list (an index into `objects`), or
   * NONE.
   */
  private ref = new Int32Array(1024);
  private tags = new Int32Array(1024);

  add(event: NormalizedEvent): void {
    if (event.type === 'call' || event.type === 'survey') {
      if (this.looseKinds.has(event.id)) {
        this.duplicates += 1;
        return;
      }
      this.looseKinds.add(event.id);
      if (event.ticket === undefined) {
        if (event.type === 'call') this.looseCalls.push(timed(event));
        else this.looseSurveys.push(timed(event));
        return;
      }
    }
    const i = this.slot(event.ticket as string);
    this.pushId(i, event.id);
    if (event.type === 'call' || event.type === 'survey') {
      this.kind[i] = OBJECT;
      this.ref[i] = this.keep(timed(event));
      // The columns an object does not use say so: `absorb` copies every column.
      this.agent[i] = NONE;
      this.team[i] = NONE;
      this.tags[i] = NONE;
      return;
    }
    this.t[i] = instantMs(event.at);
    this.channel[i] = event.channel === undefined ? 0 : CHANNELS.indexOf(event.channel) + 1;
    this.agent[i] = this.name(event.agent);
    this.team[i] = this.name(event.team);
    this.ref[i] = this.customerRef(event.customer);
    if (event.type === 'message') {
      this.kind[i] = MESSAGE;
      this.code[i] = AUTHORS.indexOf(event.author);
      this.flag[i] = event.public === false ? 0 : 1;
      this.tags[i] = NONE;
    } else {
      this.kind[i] = event.type === 'ticket.updated' ? UPDATE : CREATED;
      if (event.type === 'ticket.updated') {
        this.code[i] = event.status === undefined ? 0 : STATUSES.indexOf(event.status) + 1;
      } else {
        this.code[i] = event.outbound === undefined ? 0 : event.outbound ? 2 : 1;
      }
      this.flag[i] = event.priority === undefined ? 0 : PRIORITIES.indexOf(event.priority) + 1;
      this.tags[i] = this.keep(event.tags);
    }
  }

  /**
   * Make room for about `events` events in all (more still fit): a large file's columns are
   * then not regrown, each time copied whole, as they fill — nor at `absorb`.
   */
  expect(events: number): void {
    this.reserve(Math.min(events, 1 << 26));
  }

  /**
   * Everything collected, as plain data for another thread (`absorb` takes it there): the
   * columns as typed arrays, to be transferred rather than copied.
   */
  shard(): CollectorShard {
    const size = this.size;
    // Unused slots (see `startChunk`) and dropped copies belong to no ticket.
    const ticketOf = new Int32Array(size).fill(NONE);
    for (let k = 0; k < this.ticketKeys.length; k += 1) {
      for (let i = this.head[k] as number; i !== NONE; i = this.next[i] as number) ticketOf[i] = k;
    }
    return {
      size,
      idChunks: [...this.idChunks, this.idsPending.join('')],
      idEnd: this.idEnd.slice(0, size),
      ticketKeys: this.ticketKeys,
      ticketOf,
      strings: this.strings,
      objects: this.objects,
      t: this.t.slice(0, size),
      kind: this.kind.slice(0, size),
      code: this.code.slice(0, size),
      flag: this.flag.slice(0, size),
      channel: this.channel.slice(0, size),
      agent: this.agent.slice(0, size),
      team: this.team.slice(0, size),
      ref: this.ref.slice(0, size),
      tags: this.tags.slice(0, size),
      looseCalls: this.looseCalls,
      looseSurveys: this.looseSurveys,
      looseKinds: [...this.looseKinds],
      duplicates: this.duplicates,
    };
  }

  /**
   * Add what another collector collected from the events that came after this one's, as if
   * they had been added here one by one in their order: the copy received first still wins.
   * The shard's columns are copied whole after this one's (from the start of a chunk of ids,
   * so that its chunks of ids are taken as they are), its events threaded onto their tickets.
   */
  absorb(shard: CollectorShard): void {
    this.duplicates += shard.duplicates;
    const names = shard.strings.map((name) => this.name(name));
    const tickets = shard.ticketKeys.map((key) => this.ticketNumber(key));
    const isNew = (event: { type: string; id: string }): boolean => {
      if (event.type !== 'call' && event.type !== 'survey') return true;
      if (!this.looseKinds.has(event.id)) return true;
      this.duplicates += 1;
      return false;
    };
    const base = this.startChunk();
    const size = shard.size;
    this.reserve(base + size);
    this.t.set(shard.t, base);
    this.idEnd.set(shard.idEnd, base);
    this.kind.set(shard.kind, base);
    this.code.set(shard.code, base);
    this.flag.set(shard.flag, base);
    this.channel.set(shard.channel, base);
    for (let c = 0; c < Math.ceil(size / ID_CHUNK); c += 1) this.idChunks.push(shard.idChunks[c] as string);
    const objectBase = this.objects.length;
    for (const value of shard.objects) this.objects.push(value);
    for (let j = 0; j < size; j += 1) {
      const i = base + j;
      const agent = shard.agent[j] as number;
      const team = shard.team[j] as number;
      const ref = shard.ref[j] as number;
      const tags = shard.tags[j] as number;
      this.agent[i] = agent < 0 ? agent : (names[agent] as number);
      this.team[i] = team < 0 ? team : (names[team] as number);
      this.ref[i] =
        ref === NONE
          ? NONE
          : ref <= STRING_REF
            ? STRING_REF - (names[STRING_REF - ref] as number)
            : objectBase + ref;
      this.tags[i] = tags === NONE ? NONE : objectBase + tags;
      const owner = shard.ticketOf[j] as number;
      if (owner === NONE) continue;
      if (shard.kind[j] === OBJECT && !isNew(shard.objects[ref] as TimedEvent)) continue;
      this.thread(tickets[owner] as number, i);
    }
    // The shard's last chunk of ids is whole as it is: later events start a chunk of their own.
    this.size = base + Math.ceil(size / ID_CHUNK) * ID_CHUNK;
    this.reserve(this.size);
    for (const call of shard.looseCalls) if (isNew(call)) this.looseCalls.push(call);
    for (const survey of shard.looseSurveys) if (isNew(survey)) this.looseSurveys.push(survey);
    for (const id of shard.looseKinds) this.looseKinds.add(id);
  }

  /**
   * The keys of `keys` that an event of a ticket (any copy) names as its customer, each once,
   * read from the columns without taking the ticket. Any copy: a ticket may be thought linkable
   * and not be.
   */
  customersIn(ticket: string, keys: ReadonlySet<string>): string[] {
    const found: string[] = [];
    const index = this.ticketIndex.get(ticket);
    if (index === undefined) return found;
    const add = (key: string) => {
      if (keys.has(key) && !found.includes(key)) found.push(key);
    };
    for (let i = this.head[index] as number; i !== NONE; i = this.next[i] as number) {
      const ref = this.ref[i] as number;
      if (ref === NONE) continue;
      const customer =
        this.kind[i] === OBJECT
          ? (this.objects[ref] as TimedEvent).customer
          : ref <= STRING_REF
            ? this.strings[STRING_REF - ref]
            : (this.objects[ref] as string[]);
      if (typeof customer === 'string') add(customer);
      else if (customer !== undefined) for (const key of customer) add(key);
    }
    return found;
  }

  /** How many tickets were seen. */
  get ticketCount(): number {
    return this.ticketKeys.length;
  }

  /** Every ticket key seen, in the order first seen (the order of the columns). */
  tickets(): string[] {
    return this.ticketKeys.slice();
  }

  /** A ticket's events, first copies only, sorted into its timeline; the bucket is released. */
  takeTimeline(ticket: string): TimedEvent[] {
    const index = this.ticketIndex.get(ticket);
    if (index === undefined) return [];
    const events: TimedEvent[] = [];
    for (let i = this.head[index] as number; i !== NONE; i = this.next[i] as number) {
      events.push(this.event(i, ticket));
    }
    this.head[index] = NONE;
    const unique = dropRepeatedIds(events);
    this.duplicates += events.length - unique.length;
    return sortEvents(unique);
  }

  private event(i: number, ticket: string): TimedEvent {
    const kind = this.kind[i];
    if (kind === OBJECT) return this.taken(this.ref[i] as number) as TimedEvent;
    const channelCode = this.channel[i] as number;
    const channel = channelCode === 0 ? undefined : (CHANNELS[channelCode - 1] as Channel);
    const ref = this.ref[i] as number;
    const customer =
      ref <= STRING_REF ? this.strings[STRING_REF - ref] : (this.taken(ref) as string[] | undefined);
    if (kind === MESSAGE) {
      return {
        type: 'message',
        id: this.id(i),
        t: this.t[i] as number,
        ticket,
        author: AUTHORS[this.code[i] as number] as (typeof AUTHORS)[number],
        public: this.flag[i] === 1,
        agent: this.string(this.agent[i] as number) ?? undefined,
        team: this.string(this.team[i] as number) ?? undefined,
        channel,
        customer,
      };
    }
    const code = this.code[i] as number;
    const priority = this.flag[i] as number;
    if (kind === CREATED) {
      return {
        type: 'ticket.created',
        id: this.id(i),
        t: this.t[i] as number,
        ticket,
        priority: priority === 0 ? undefined : PRIORITIES[priority - 1],
        agent: this.string(this.agent[i] as number) ?? undefined,
        team: this.string(this.team[i] as number) ?? undefined,
        channel,
        customer,
        tags: this.taken(this.tags[i] as number) as string[] | undefined,
        outbound: code === 0 ? undefined : code === 2,
      };
    }
    const status = code;
    return {
      type: 'ticket.updated',
      id: this.id(i),
      t: this.t[i] as number,
      ticket,
      status: status === 0 ? undefined : STATUSES[status - 1],
      priority: priority === 0 ? undefined : PRIORITIES[priority - 1],
      agent: this.string(this.agent[i] as number),
      team: this.string(this.team[i] as number),
      channel,
      customer,
      tags: this.taken(this.tags[i] as number) as string[] | undefined,
    };
  }

  private pushId(i: number, id: string): void {
    const start = i % ID_CHUNK === 0 ? 0 : (this.idEnd[i - 1] as number);
    this.idEnd[i] = start + id.length;
    this.idsPending.push(id);
    if (this.idsPending.length === ID_CHUNK) {
      this.idChunks.push(this.idsPending.join(''));
      this.idsPending = [];
    }
  }

  private id(i: number): string {
    if (Math.floor(i / ID_CHUNK) === this.idChunks.length) return this.idsPending[i % ID_CHUNK] as string;
    return chunkedId(this.idChunks, this.idEnd, i);
  }

  /** The next event's slot, threaded onto its ticket's list. */
  private slot(ticket: string): number {
    const i = this.size;
    this.reserve(i + 1);
    this.size += 1;
    // A ticket's events mostly come together: the last ticket's index spares a look-up.
    const index = ticket === this.lastTicket ? this.lastIndex : this.ticketNumber(ticket);
    this.thread(index, i);
    this.lastTicket = ticket;
    this.lastIndex = index;
    return i;
  }

  /** A ticket's index, a new one (with no events) the first time. */
  private ticketNumber(ticket: string): number {
    let index = this.ticketIndex.get(ticket);
    if (index === undefined) {
      index = this.ticketKeys.length;
      this.ticketIndex.set(ticket, index);
      this.ticketKeys.push(ticket);
      if (index === this.head.length) {
        this.head = grown(this.head);
        this.tail = grown(this.tail);
      }
      this.head[index] = NONE;
    }
    return index;
  }

  /** Event `i` onto the end of ticket `index`'s list. */
  private thread(index: number, i: number): void {
    if (this.head[index] === NONE) this.head[index] = i;
    else this.next[this.tail[index] as number] = i;
    this.tail[index] = i;
    this.next[i] = NONE;
  }

  /**
   * Where a new chunk of ids starts: the current one's ids joined, and the slots up to the next
   * chunk left unused (no ticket's list reaches them).
   */
  private startChunk(): number {
    const partial = this.size % ID_CHUNK;
    if (partial !== 0) {
      this.idChunks.push(this.idsPending.join(''));
      this.idsPending = [];
      this.size += ID_CHUNK - partial;
      this.reserve(this.size);
    }
    return this.size;
  }

  /** Room for `size` events in every column. */
  private reserve(size: number): void {
    if (this.t.length < size) this.resize(Math.max(size, this.t.length * 2));
  }

  private resize(length: number): void {
    this.t = grown(this.t, length);
    this.idEnd = grown(this.idEnd, length);
    this.next = grown(this.next, length);
    this.kind = grown(this.kind, length);
    this.code = grown(this.code, length);
    this.flag = grown(this.flag, length);
    this.channel = grown(this.channel, length);
    this.agent = grown(this.agent, length);
    this.team = grown(this.team, length);
    this.ref = grown(this.ref, length);
    this.tags = grown(this.tags, length);
  }

  private name(value: string | null | undefined): number {
    if (value === undefined) return NONE;
    if (value === null) return NULL;
    let index = this.stringIndex.get(value);
    if (index === undefined) {
      index = this.strings.length;
      this.stringIndex.set(value, index);
      this.strings.push(value);
    }
    return index;
  }

  private string(index: number): string | null | undefined {
    if (index === NONE) return undefined;
    if (index === NULL) return null;
    return this.strings[index];
  }

  /**
   * A customer as `ref` keeps it: one key among the distinct strings (a fifth of all events
   * carry one, a few keys a customer — each kept once rather than once an event), several as a
   * list.
   */
  private customerRef(customer: string | string[] | undefined): number {
    if (typeof customer === 'string') return STRING_REF - this.name(customer);
    return this.keep(customer);
  }

  private keep(value: unknown): number {
    if (value === undefined) return NONE;
    this.objects.push(value);
    return this.objects.length - 1;
  }

  private taken(index: number): unknown {
    if (index === NONE) return undefined;
    const value = this.objects[index];
    this.objects[index] = undefined;
    return value;
  }
}

/** What an `EventCollector` holds, as data that can cross to another thread. */
export interface CollectorShard {
  size: number;
  /** The events' ids, `ID_CHUNK` to a string (the last one's may be short), and where each ends. */
  idChunks: string[];
  idEnd: Int32Array;
  ticketKeys: string[];
  /** Each event's ticket, as an index into `ticketKeys`, or NONE if it is on no ticket's list. */
  ticketOf: Int32Array;
  strings: string[];
  objects: unknown[];
  t: Float64Array;
  kind: Uint8Array;
  code: Uint8Array;
  flag: Uint8Array;
  channel: Uint8Array;
  agent: Int32Array;
  team: Int32Array;
  ref: Int32Array;
  tags: Int32Array;
  looseCalls: TimedCall[];
  looseSurveys: TimedSurvey[];
  looseKinds: string[];
  duplicates: number;
}

/** The `i`th id of ids kept `ID_CHUNK` to a joined string, `idEnd` where each ends in its chunk. */
function chunkedId(chunks: readonly string[], idEnd: Int32Array, i: number): string {
  const start = i % ID_CHUNK === 0 ? 0 : (idEnd[i - 1] as number);
  return (chunks[Math.floor(i / ID_CHUNK)] as string).slice(start, idEnd[i]);
}

/** The buffers of a shard's columns, to transfer with it. */
export function shardBuffers(shard: CollectorShard): ArrayBuffer[] {
  const columns = [shard.ticketOf, shard.idEnd, shard.t, shard.kind, shard.code, shard.flag, shard.channel];
  return [...columns, shard.agent, shard.team, shard.ref, shard.tags].map(
    (column) => column.buffer as ArrayBuffer,
  );
}

function grown<T extends Float64Array | Int32Array | Uint8Array>(array: T, length = array.length * 2): T {
  const bigger = new (array.constructor as new (length: number) => T)(length);
  bigger.set(array);
  return bigger;
}

function dropRepeatedIds(events: TimedEvent[]): TimedEvent[] {
  if (events.length < 2) return events;
  if (events.length <= 32 && !hasRepeatedId(events)) return events;
  const seen = new Set<string>();
  const unique: TimedEvent[] = [];
  for (const event of events) {
    if (seen.has(event.id)) continue;
    seen.add(event.id);
    unique.push(event);
  }
  return unique;
}

/** For a ticket's handful of events, a pairwise look is cheaper than a set. */
function hasRepeatedId(events: readonly TimedEvent[]): boolean {
  for (let i = 1; i < events.length; i += 1) {
    const id = (events[i] as TimedEvent).id;
    for (let j = 0; j < i; j += 1) if ((events[j] as TimedEvent).id === id) return true;
  }
  return false;
}
