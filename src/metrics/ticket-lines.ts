import type { TicketResult } from './compute.js';
import { iso } from './output.js';
import type { Measured } from './ticket.js';

/**
 * A ticket's JSON line (`JSON.stringify(ticketJson(result))`, METRICS.md) in two steps: its
 * result packed into numbers (`TicketPacker`, strings as indexes into a table that grows as
 * new ones are met) and the line written from them (`TicketLineWriter`). The numbers can cross
 * to another thread as one transferred buffer where the result's few dozen objects would be
 * cloned: at a million events, making the lines was ~1.1 s of `--format json`'s time on the
 * thread that computes (see `cli/json-document.ts`). A test holds both steps to `ticketJson`.
 */

/** `null` for a string or a flag. Instants that are `null` are `NaN`. */
const NONE = -1;

const NUMBERS_A_MEASURE = 4;
const NUMBERS_A_TARGET = 7;
/** A ticket's numbers without next responses and SLA targets, at most. */
const MOST_NUMBERS = 8 + 3 * (1 + NUMBERS_A_MEASURE) + 1 + 3 * NUMBERS_A_MEASURE + 7;

/** Tickets packed one after another by a `TicketPacker`: what a `TicketLineWriter` reads. */
export interface PackedTickets {
  /** The packer's strings new since the batch before (the writer's table grows by them). */
  strings: string[];
  /** The numbers of the tickets, each starting with its rank; `length` of them are used. */
  values: Float64Array;
  length: number;
  /** Their ids, in the same order. */
  tickets: string[];
}

/** Packs tickets' results into numbers, a batch at a time (`take`). */
export class TicketPacker {
  private readonly index = new Map<string, number>();
  private strings: string[] = [];
  private values: Float64Array;
  private length = 0;
  private tickets: string[] = [];

  constructor(private readonly capacity = 1 << 16) {
    this.values = new Float64Array(capacity);
  }

  /** How many tickets are packed since the last `take`. */
  get size(): number {
    return this.tickets.length;
  }

  /** Pack a ticket's result; `rank` is passed through to the writer. */
  pack({ metrics: m, sla }: TicketResult, rank: number): void {
    this.tickets.push(m.ticket);
    // Room for the most it can take (every optional measure present), then written in place.
    const v = this.room(
      MOST_NUMBERS + NUMBERS_A_MEASURE * m.nextResponse.length + NUMBERS_A_TARGET * sla.length,
    );
    let i = this.length;
    v[i++] = rank;
    v[i++] = this.string(m.tenant);
    v[i++] = m.partial ? 1 : 0;
    v[i++] = this.string(m.status);
    v[i++] = this.string(m.agent);
    v[i++] = this.string(m.team);
    v[i++] = this.string(m.priority);
    v[i++] = this.string(m.channel);
    i = this.optional(v, i, m.firstResponse);
    v[i++] = m.nextResponse.length;
    for (const measured of m.nextResponse) i = this.measured(v, i, measured);
    i = this.optional(v, i, m.firstResolution);
    i = this.optional(v, i, m.fullResolution);
    i = this.measured(v, i, m.requesterWait);
    i = this.measured(v, i, m.agentWait);
    i = this.measured(v, i, m.onHold);
    v[i++] = m.replies;
    v[i++] = m.reopens;
    v[i++] = m.contacts;
    v[i++] = m.callsToResolution;
    v[i++] = m.fcr === null ? NONE : m.fcr ? 1 : 0;
    v[i++] = this.string(m.touches);
    v[i++] = sla.length;
    for (const target of sla) {
      v[i++] = this.string(target.policy);
      v[i++] = this.string(target.metric);
      v[i++] = target.targetSeconds;
      v[i++] = this.string(target.status);
      v[i++] = target.atRisk ? 1 : 0;
      v[i++] = target.breachAt ?? Number.NaN;
      v[i++] = target.breachedAt ?? Number.NaN;
    }
    this.length = i;
  }

  /** The tickets packed since the last call; the packer starts a new batch. */
  take(): PackedTickets {
    const batch = { strings: this.strings, values: this.values, length: this.length, tickets: this.tickets };
    this.strings = [];
    this.values = new Float64Array(Math.max(this.capacity, this.length));
    this.length = 0;
    this.tickets = [];
    return batch;
  }

  /** The buffer, with room for `more` numbers after those packed. */
  private room(more: number): Float64Array {
    if (this.length + more > this.values.length) {
      const values = new Float64Array(Math.max(2 * this.values.length, this.length + more));
      values.set(this.values.subarray(0, this.length));
      this.values = values;
    }
    return this.values;
  }

  private string(value: string | null): number {
    if (value === null) return NONE;
    let index = this.index.get(value);
    if (index === undefined) {
      index = this.index.size;
      this.index.set(value, index);
      this.strings.push(value);
    }
    return index;
  }

  private optional(v: Float64Array, i: number, measured: Measured | null): number {
    if (measured === null) {
      v[i] = 0;
      return i + 1;
    }
    v[i] = 1;
    return this.measured(v, i + 1, measured);
  }

  private measured(v: Float64Array, i: number, { calendar, business, at, agent }: Measured): number {
    v[i] = calendar;
    v[i + 1] = business;
    v[i + 2] = at ?? Number.NaN;
    v[i + 3] = this.string(agent);
    return i + NUMBERS_A_MEASURE;
  }
}

const EMPTY = new Float64Array(0);

/** Thousandths as decimals: 5 → "005", 50 → "05", 500 → "5". */
const THOUSANDTHS = Array.from({ length: 1000 }, (_, n) => String(n).padStart(3, '0').replace(/0+$/, ''));

/**
 * As `JSON.stringify` writes a number. Durations are milliseconds ÷ 1000, and a positive one
 * below 10⁹ s whose thousandths give it back exactly is written from those digits: that decimal
 * has at most 12 significant digits, and a double tells apart every decimal of up to 15, so no
 * shorter one reads back as the same double — it is the shortest, which is what `String` writes
 * (in plain notation between 10⁻⁶ and 10²¹). A property test holds the two equal.
 */
const number = (value: number): string => {
  if (value > 0 && value < 1e9) {
    const thousandths = Math.round(value * 1000);
    if (thousandths / 1000 === value) {
      const whole = Math.floor(thousandths / 1000);
      const rest = thousandths - whole * 1000;
      return rest === 0 ? String(whole) : `${whole}.${THOUSANDTHS[rest]}`;
    }
  }
  return Number.isFinite(value) ? String(value) : 'null';
};
const flag = (value: number): string => (value === 1 ? 'true' : 'false');
const instant = (value: number): string => (Number.isNaN(value) ? 'null' : `"${iso(value)}"`);

/** Writes the JSON lines of tickets packed by a `TicketPacker`, given its strings in order. */
export class TicketLineWriter {
  /** Each string of the packer's table as JSON. */
  private readonly quoted: string[] = [];
  private values: Float64Array = EMPTY;
  private at = 0;
  private end = 0;
  private readonly parts: string[] = [];

  private addStrings(strings: readonly string[]): void {
    for (const value of strings) this.quoted.push(JSON.stringify(value));
  }

  /** Each ticket's line of a batch, with its rank, in the batch's order. */
  write(batch: PackedTickets, each: (line: string, rank: number) => void): void {
    this.addStrings(batch.strings);
    this.values = batch.values;
    this.end = batch.length;
    this.at = 0;
    for (const ticket of batch.tickets) {
      const rank = this.next();
      each(this.line(ticket), rank);
    }
    if (this.at !== batch.length) {
      throw new Error(
        `packed tickets: ${batch.length} numbers for ${batch.tickets.length} tickets, read ${this.at}`,
      );
    }
    this.values = EMPTY;
    this.end = 0;
  }

  /** The line as a flat string (joined, not added up: one held until its turn is one object). */
  private line(ticket: string): string {
    const p = this.parts;
    p.length = 0;
    p.push(`{"ticket":${JSON.stringify(ticket)},"tenant":${this.string()},"partial":${flag(this.next())}`);
    p.push(`,"status":${this.string()},"agent":${this.string()},"team":${this.string()}`);
    p.push(`,"priority":${this.string()},"channel":${this.string()}`, ',"first_response":');
    this.optional();
    p.push(',"next_response":[');
    const nextResponses = this.next();
    for (let i = 0; i < nextResponses; i += 1) {
      if (i > 0) p.push(',');
      this.measured();
    }
    p.push('],"first_resolution":');
    this.optional();
    p.push(',"full_resolution":');
    this.optional();
    p.push(',"requester_wait":');
    this.measured();
    p.push(',"agent_wait":');
    this.measured();
    p.push(',"on_hold":');
    this.measured();
    p.push(`,"replies":${number(this.next())},"reopens":${number(this.next())}`);
    p.push(`,"contacts":${number(this.next())},"calls_to_resolution":${number(this.next())}`);
    const fcr = this.next();
    p.push(`,"fcr":${fcr === NONE ? 'null' : flag(fcr)},"touches":${this.string()},"sla":[`);
    const targets = this.next();
    for (let i = 0; i < targets; i += 1) {
      p.push(`${i === 0 ? '' : ','}{"policy":${this.string()},"metric":${this.string()}`);
      p.push(`,"target_seconds":${number(this.next())},"status":${this.string()}`);
      p.push(`,"at_risk":${flag(this.next())},"breach_at":${instant(this.next())}`);
      p.push(`,"breached_at":${instant(this.next())}}`);
    }
    p.push(']}');
    return p.join('');
  }

  private next(): number {
    if (this.at >= this.end) throw new Error(`packed tickets: no number at ${this.at} (${this.end} packed)`);
    const value = this.values[this.at] as number;
    this.at += 1;
    return value;
  }

  private string(): string {
    return this.quote(this.next());
  }

  private quote(index: number): string {
    if (index === NONE) return 'null';
    const quoted = this.quoted[index];
    if (quoted === undefined)
      throw new Error(`packed tickets: no string ${index} (${this.quoted.length} known)`);
    return quoted;
  }

  private optional(): void {
    if (this.next() === 0) this.parts.push('null');
    else this.measured();
  }

  private measured(): void {
    const p = this.parts;
    p.push(`{"calendar":${number(this.next())},"business":${number(this.next())}`);
    const at = this.next();
    if (!Number.isNaN(at)) p.push(`,"at":"${iso(at)}"`);
    const agent = this.next();
    if (agent !== NONE) p.push(`,"agent":${this.quote(agent)}`);
    p.push('}');
  }
}
