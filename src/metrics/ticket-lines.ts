import type { TicketResult } from './compute.js';
import { DAY_MS, dayPrefix, isoFromDigits } from './output.js';
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
const MOST_NUMBERS = 9 + 3 * (1 + NUMBERS_A_MEASURE) + 1 + 3 * NUMBERS_A_MEASURE + 7;

/** The fields whose strings are packed, each with the last one it met (`TicketPacker.string`). */
const SLOT = {
  tenant: 0,
  status: 1,
  agent: 2,
  team: 3,
  priority: 4,
  channel: 5,
  touches: 6,
  policy: 7,
  metric: 8,
  targetStatus: 9,
  measuredAgent: 10,
};
const SLOTS = Object.keys(SLOT).length;

/** Tickets packed one after another by a `TicketPacker`: what a `TicketLineWriter` reads. */
export interface PackedTickets {
  /** The packer's strings new since the batch before (the writer's table grows by them). */
  strings: string[];
  /**
   * The numbers of the tickets, each starting with its rank and its id's length; `length` of
   * them are used.
   */
  values: Float64Array;
  length: number;
  /** How many tickets. */
  count: number;
  /** Their ids, in the same order, one after another (one string crosses faster than many). */
  ids: string;
}

/** Packs tickets' results into numbers, a batch at a time (`take`). */
export class TicketPacker {
  private readonly index = new Map<string, number>();
  private strings: string[] = [];
  private values: Float64Array;
  private length = 0;
  private count = 0;
  private ids: string[] = [];
  /** Per field (`SLOT`), the last string met and its index: most tickets repeat them. */
  private readonly lastString: (string | null)[] = new Array<string | null>(SLOTS).fill(null);
  private readonly lastIndex = new Int32Array(SLOTS);

  constructor(private readonly capacity = 1 << 16) {
    this.values = new Float64Array(capacity);
  }

  /** How many tickets are packed since the last `take`. */
  get size(): number {
    return this.count;
  }

  /** Pack a ticket's result; `rank` is passed through to the writer. */
  pack({ metrics: m, sla }: TicketResult, rank: number): void {
    this.count += 1;
    this.ids.push(m.ticket);
    // Room for the most it can take (every optional measure present), then written in place.
    const v = this.room(
      MOST_NUMBERS + NUMBERS_A_MEASURE * m.nextResponse.length + NUMBERS_A_TARGET * sla.length,
    );
    let i = this.length;
    v[i++] = rank;
    v[i++] = m.ticket.length;
    v[i++] = this.string(m.tenant, SLOT.tenant);
    v[i++] = m.partial ? 1 : 0;
    v[i++] = this.string(m.status, SLOT.status);
    v[i++] = this.string(m.agent, SLOT.agent);
    v[i++] = this.string(m.team, SLOT.team);
    v[i++] = this.string(m.priority, SLOT.priority);
    v[i++] = this.string(m.channel, SLOT.channel);
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
    v[i++] = this.string(m.touches, SLOT.touches);
    v[i++] = sla.length;
    for (const target of sla) {
      v[i++] = this.string(target.policy, SLOT.policy);
      v[i++] = this.string(target.metric, SLOT.metric);
      v[i++] = target.targetSeconds;
      v[i++] = this.string(target.status, SLOT.targetStatus);
      v[i++] = target.atRisk ? 1 : 0;
      v[i++] = target.breachAt ?? Number.NaN;
      v[i++] = target.breachedAt ?? Number.NaN;
    }
    this.length = i;
  }

  /** The tickets packed since the last call; the packer starts a new batch. */
  take(): PackedTickets {
    const batch = {
      strings: this.strings,
      values: this.values,
      length: this.length,
      count: this.count,
      ids: this.ids.join(''),
    };
    this.strings = [];
    this.values = new Float64Array(Math.max(this.capacity, this.length));
    this.length = 0;
    this.count = 0;
    this.ids = [];
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

  private string(value: string | null, slot: number): number {
    if (value === null) return NONE;
    if (this.lastString[slot] === value) return this.lastIndex[slot] as number;
    let index = this.index.get(value);
    if (index === undefined) {
      index = this.index.size;
      this.index.set(value, index);
      this.strings.push(value);
    }
    this.lastString[slot] = value;
    this.lastIndex[slot] = index;
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
    v[i + 3] = this.string(agent, SLOT.measuredAgent);
    return i + NUMBERS_A_MEASURE;
  }
}

const EMPTY = new Float64Array(0);
const encoder = new TextEncoder();
const bytes = (text: string): Uint8Array => encoder.encode(text);

/** Thousandths as decimals after the point: 5 → "005", 50 → "05", 500 → "5". */
const THOUSANDTHS = Array.from({ length: 1000 }, (_, n) =>
  bytes(String(n).padStart(3, '0').replace(/0+$/, '')),
);
const NULL = bytes('null');
const TRUE = bytes('true');
const FALSE = bytes('false');
const [QUOTE, POINT, COLON, Z, COMMA, ZERO] = [34, 46, 58, 90, 44, 48];

/** The constant parts of a line, in the order they are written. */
const K = {
  ticket: bytes('{"ticket":'),
  tenant: bytes(',"tenant":'),
  partial: bytes(',"partial":'),
  status: bytes(',"status":'),
  agent: bytes(',"agent":'),
  team: bytes(',"team":'),
  priority: bytes(',"priority":'),
  channel: bytes(',"channel":'),
  firstResponse: bytes(',"first_response":'),
  nextResponse: bytes(',"next_response":['),
  firstResolution: bytes('],"first_resolution":'),
  fullResolution: bytes(',"full_resolution":'),
  requesterWait: bytes(',"requester_wait":'),
  agentWait: bytes(',"agent_wait":'),
  onHold: bytes(',"on_hold":'),
  replies: bytes(',"replies":'),
  reopens: bytes(',"reopens":'),
  contacts: bytes(',"contacts":'),
  callsToResolution: bytes(',"calls_to_resolution":'),
  fcr: bytes(',"fcr":'),
  touches: bytes(',"touches":'),
  sla: bytes(',"sla":['),
  end: bytes(']}'),
  policy: bytes('{"policy":'),
  metric: bytes(',"metric":'),
  targetSeconds: bytes(',"target_seconds":'),
  atRisk: bytes(',"at_risk":'),
  breachAt: bytes(',"breach_at":'),
  breachedAt: bytes(',"breached_at":'),
  calendar: bytes('{"calendar":'),
  business: bytes(',"business":'),
  at: bytes(',"at":'),
  close: bytes('}'),
};

/**
 * Writes the JSON lines of tickets packed by a `TicketPacker`, given its strings in order,
 * straight into UTF-8 bytes: the constant parts and each distinct string are encoded once,
 * numbers and instants are written from their digits. Made as strings, a million events' lines
 * were ~40 % garbage collection and encoding of the thread's time, and that thread shares the
 * machine with the one computing (see cli/json-document.ts).
 */
export class TicketLineWriter {
  /** Each string of the packer's table as JSON, in UTF-8. */
  private readonly quoted: Uint8Array[] = [];
  private values: Float64Array = EMPTY;
  private at = 0;
  private end = 0;
  /** The line being written. */
  private data = Buffer.allocUnsafe(1 << 14);
  private length = 0;

  private addStrings(strings: readonly string[]): void {
    for (const value of strings) this.quoted.push(bytes(JSON.stringify(value)));
  }

  /**
   * Each ticket's line of a batch, with its rank, in the batch's order. The line is a view of
   * bytes that the next line overwrites: copy it to keep it.
   */
  write(batch: PackedTickets, each: (line: Uint8Array, rank: number) => void): void {
    this.addStrings(batch.strings);
    this.values = batch.values;
    this.end = batch.length;
    this.at = 0;
    const ids = batch.ids;
    let id = 0;
    for (let k = 0; k < batch.count; k += 1) {
      const rank = this.next();
      const idEnd = id + this.next();
      if (!(idEnd <= ids.length)) throw new Error(`packed tickets: no id at ${id} (${ids.length} long)`);
      this.length = 0;
      this.line(ids, id, idEnd);
      id = idEnd;
      each(this.data.subarray(0, this.length), rank);
    }
    if (this.at !== batch.length || id !== ids.length) {
      throw new Error(
        `packed tickets: ${batch.length} numbers and ${ids.length} id characters for ${batch.count} tickets, read ${this.at} and ${id}`,
      );
    }
    this.values = EMPTY;
    this.end = 0;
  }

  private line(ids: string, start: number, end: number): void {
    this.raw(K.ticket);
    this.ticketId(ids, start, end);
    this.raw(K.tenant);
    this.string();
    this.raw(K.partial);
    this.flag(this.next());
    this.raw(K.status);
    this.string();
    this.raw(K.agent);
    this.string();
    this.raw(K.team);
    this.string();
    this.raw(K.priority);
    this.string();
    this.raw(K.channel);
    this.string();
    this.raw(K.firstResponse);
    this.optional();
    this.raw(K.nextResponse);
    const nextResponses = this.next();
    for (let i = 0; i < nextResponses; i += 1) {
      if (i > 0) this.byte(COMMA);
      this.measured();
    }
    this.raw(K.firstResolution);
    this.optional();
    this.raw(K.fullResolution);
    this.optional();
    this.raw(K.requesterWait);
    this.measured();
    this.raw(K.agentWait);
    this.measured();
    this.raw(K.onHold);
    this.measured();
    this.raw(K.replies);
    this.number(this.next());
    this.raw(K.reopens);
    this.number(this.next());
    this.raw(K.contacts);
    this.number(this.next());
    this.raw(K.callsToResolution);
    this.number(this.next());
    this.raw(K.fcr);
    const fcr = this.next();
    if (fcr === NONE) this.raw(NULL);
    else this.flag(fcr);
    this.raw(K.touches);
    this.string();
    this.raw(K.sla);
    const targets = this.next();
    for (let i = 0; i < targets; i += 1) {
      if (i > 0) this.byte(COMMA);
      this.raw(K.policy);
      this.string();
      this.raw(K.metric);
      this.string();
      this.raw(K.targetSeconds);
      this.number(this.next());
      this.raw(K.status);
      this.string();
      this.raw(K.atRisk);
      this.flag(this.next());
      this.raw(K.breachAt);
      this.instant(this.next());
      this.raw(K.breachedAt);
      this.instant(this.next());
      this.raw(K.close);
    }
    this.raw(K.end);
  }

  private next(): number {
    if (this.at >= this.end) throw new Error(`packed tickets: no number at ${this.at} (${this.end} packed)`);
    const value = this.values[this.at] as number;
    this.at += 1;
    return value;
  }

  private string(): void {
    this.quote(this.next());
  }

  private quote(index: number): void {
    if (index === NONE) {
      this.raw(NULL);
      return;
    }
    const quoted = this.quoted[index];
    if (quoted === undefined)
      throw new Error(`packed tickets: no string ${index} (${this.quoted.length} known)`);
    this.raw(quoted);
  }

  private optional(): void {
    if (this.next() === 0) this.raw(NULL);
    else this.measured();
  }

  private measured(): void {
    this.raw(K.calendar);
    this.number(this.next());
    this.raw(K.business);
    this.number(this.next());
    const at = this.next();
    if (!Number.isNaN(at)) {
      this.raw(K.at);
      this.instant(at);
    }
    const agent = this.next();
    if (agent !== NONE) {
      this.raw(K.agent);
      this.quote(agent);
    }
    this.raw(K.close);
  }

  private flag(value: number): void {
    this.raw(value === 1 ? TRUE : FALSE);
  }

  /**
   * A ticket's id (`ids` from `start` to `end`) as JSON: most are printable ASCII with nothing
   * to escape, copied as they are.
   */
  private ticketId(ids: string, start: number, end: number): void {
    this.room(end - start + 2);
    const data = this.data;
    let at = this.length;
    data[at++] = QUOTE;
    for (let i = start; i < end; i += 1) {
      const code = ids.charCodeAt(i);
      if (code < 0x20 || code > 0x7e || code === QUOTE || code === 0x5c) {
        this.text(JSON.stringify(ids.slice(start, end)));
        return;
      }
      data[at++] = code;
    }
    data[at++] = QUOTE;
    this.length = at;
  }

  /**
   * As `JSON.stringify` writes a number. Durations are milliseconds ÷ 1000, and a positive one
   * below 10⁹ s whose thousandths give it back exactly is written from those digits: that
   * decimal has at most 12 significant digits, and a double tells apart every decimal of up to
   * 15, so no shorter one reads back as the same double — it is the shortest, which is what
   * `String` writes (in plain notation between 10⁻⁶ and 10²¹). A property test holds the two
   * equal.
   */
  private number(value: number): void {
    if (value > 0 && value < 1e9) {
      const thousandths = Math.round(value * 1000);
      if (thousandths / 1000 === value) {
        const whole = Math.floor(thousandths / 1000);
        const rest = thousandths - whole * 1000;
        this.digits(whole);
        if (rest !== 0) {
          this.byte(POINT);
          this.raw(THOUSANDTHS[rest] as Uint8Array);
        }
        return;
      }
    } else if (value === 0) {
      // 0 and -0 alike.
      this.byte(ZERO);
      return;
    }
    this.text(Number.isFinite(value) ? String(value) : 'null');
  }

  /** A whole number from 0 to 10⁹, in decimal. */
  private digits(value: number): void {
    let length = 1;
    for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) length += 1;
    this.room(length);
    const data = this.data;
    let at = this.length + length;
    this.length = at;
    let rest = value;
    do {
      const tenth = Math.floor(rest / 10);
      data[--at] = ZERO + rest - tenth * 10;
      rest = tenth;
    } while (rest > 0);
  }

  /** Two digits, or three, of a time of day. */
  private padded(value: number, width: 2 | 3): void {
    const data = this.data;
    const at = this.length;
    if (width === 3) {
      const hundreds = Math.floor(value / 100);
      data[at] = ZERO + hundreds;
      value -= hundreds * 100;
      this.length = at + 1;
    }
    const tens = Math.floor(value / 10);
    data[this.length] = ZERO + tens;
    data[this.length + 1] = ZERO + value - tens * 10;
    this.length += 2;
  }

  private instant(value: number): void {
    if (Number.isNaN(value)) {
      this.raw(NULL);
      return;
    }
    this.byte(QUOTE);
    this.iso(value);
    this.byte(QUOTE);
  }

  /**
   * An instant as `Date.prototype.toISOString` writes it (as `iso` in output.ts: the day from
   * `toISOString` once per day, the time of day from the digits; other years and fractional
   * milliseconds from `toISOString`).
   */
  private iso(ms: number): void {
    if (!isoFromDigits(ms)) {
      this.text(new Date(ms).toISOString());
      return;
    }
    const day = Math.floor(ms / DAY_MS);
    this.ascii(dayPrefix(day));
    let rest = ms - day * DAY_MS;
    const hours = Math.floor(rest / 3_600_000);
    rest -= hours * 3_600_000;
    const minutes = Math.floor(rest / 60_000);
    rest -= minutes * 60_000;
    const seconds = Math.floor(rest / 1000);
    this.room(13);
    this.padded(hours, 2);
    this.data[this.length++] = COLON;
    this.padded(minutes, 2);
    this.data[this.length++] = COLON;
    this.padded(seconds, 2);
    this.data[this.length++] = POINT;
    this.padded(rest - seconds * 1000, 3);
    this.data[this.length++] = Z;
  }

  /** Text of ASCII characters only. */
  private ascii(value: string): void {
    const n = value.length;
    this.room(n);
    const data = this.data;
    let at = this.length;
    for (let i = 0; i < n; i += 1) data[at++] = value.charCodeAt(i);
    this.length = at;
  }

  private byte(value: number): void {
    this.room(1);
    this.data[this.length++] = value;
  }

  private raw(value: Uint8Array): void {
    const n = value.length;
    this.room(n);
    if (n > 32) {
      this.data.set(value, this.length);
      this.length += n;
      return;
    }
    const data = this.data;
    let at = this.length;
    for (let i = 0; i < n; i += 1) data[at++] = value[i] as number;
    this.length = at;
  }

  /** Any text, as UTF-8. */
  private text(value: string): void {
    this.room(3 * value.length);
    this.length += this.data.write(value, this.length);
  }

  /** Room for `more` bytes after the line's. */
  private room(more: number): void {
    if (this.length + more <= this.data.length) return;
    const data = Buffer.allocUnsafe(Math.max(2 * this.data.length, this.length + more));
    this.data.copy(data, 0, 0, this.length);
    this.data = data;
  }
}
