import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { ComputeResult, TicketResult } from '../metrics/compute.js';
import { InOrder } from '../metrics/in-order.js';
import { callCaseJson, iso, type ReportJson } from '../metrics/output.js';
import { type PackedTickets, TicketLineWriter, TicketPacker } from '../metrics/ticket-lines.js';

/** Tickets packed before they are sent to be written. */
const BATCH_TICKETS = 1024;
/**
 * From this many tickets their lines are made on a thread of their own (it takes ~0.15 s to
 * start); `DESKPULSE_LINES_THREAD_TICKETS` changes it.
 */
const THREAD_TICKETS = 20_000;

/** The lines of the document's `tickets` whose turn came, as UTF-8, and how many. */
export interface LinesBytes {
  text: Uint8Array;
  lines: number;
}

/** Bytes a batch's lines are written into to start with (it grows as needed). */
const CHUNK_BYTES = 2 << 20;
/** Bytes of the blocks that hold early lines. */
const BLOCK_BYTES = 1 << 20;

const FIRST = new TextEncoder().encode('    ');
const SEPARATOR = new TextEncoder().encode(',\n    ');

/**
 * Makes the lines of packed tickets and puts them in key order: the text of those whose turn
 * has come, indented and after a comma unless first, as UTF-8. A ticket computed early (with
 * its customer's ticket of an earlier key, see `computeRanked`) waits as the UTF-8 of its line,
 * in blocks outside the JavaScript heap, where the garbage collector need not copy and mark it
 * (66k lines held as strings, when every linkable ticket came first, cost the thread 0.2–1.2 s).
 */
export class TicketLines {
  private readonly writer = new TicketLineWriter();
  private text = Buffer.allocUnsafe(CHUNK_BYTES);
  private length = 0;
  private lines = 0;
  private block = Buffer.allocUnsafe(BLOCK_BYTES);
  private blockUsed = 0;
  private readonly order = new InOrder<Uint8Array>((line, rank) => this.append(line, rank));

  add(batch: PackedTickets): LinesBytes {
    this.writer.write(batch, (line, rank) => {
      this.order.put(rank, rank === this.order.taken ? line : this.early(line));
    });
    const ready = { text: this.text.subarray(0, this.length), lines: this.lines };
    this.text = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, this.length));
    this.length = 0;
    this.lines = 0;
    return ready;
  }

  private append(line: Uint8Array, rank: number): void {
    const separator = rank === 0 ? FIRST : SEPARATOR;
    const most = separator.length + line.length;
    if (this.length + most > this.text.length) {
      const text = Buffer.allocUnsafe(Math.max(2 * this.text.length, this.length + most));
      this.text.copy(text, 0, 0, this.length);
      this.text = text;
    }
    this.text.set(separator, this.length);
    this.text.set(line, this.length + separator.length);
    this.length += most;
    this.lines += 1;
  }

  /** A copy of a line that must wait (the writer's view of it is overwritten by the next). */
  private early(line: Uint8Array): Uint8Array {
    if (this.blockUsed + line.length > this.block.length) {
      this.block = Buffer.allocUnsafe(Math.max(BLOCK_BYTES, line.length));
      this.blockUsed = 0;
    }
    const start = this.blockUsed;
    this.block.set(line, start);
    this.blockUsed += line.length;
    return this.block.subarray(start, this.blockUsed);
  }
}

/**
 * The JSON document of METRICS.md, written ticket by ticket as they are computed (a ticket a
 * line), so that a million events never build one giant string. With many tickets their lines
 * are made on a second thread while this one computes (its core is otherwise idle then): each
 * ticket's result is packed into numbers here and sent in batches, and the lines come back as
 * UTF-8, in order, to be written here.
 */
export async function writeJsonDocument(
  out: NodeJS.WritableStream,
  now: number,
  tickets: number,
  run: (onTicket: (result: TicketResult, rank: number) => void) => ComputeResult,
  report: () => ReportJson,
): Promise<void> {
  const threshold = Number(process.env.DESKPULSE_LINES_THREAD_TICKETS ?? THREAD_TICKETS);
  const thread = tickets >= threshold ? new LinesThread(out) : null;
  try {
    out.write(`{\n  "now": ${JSON.stringify(iso(now))},\n  "tickets": [\n`);
    const packer = new TicketPacker();
    const here = thread ? null : new TicketLines();
    let sent = 0;
    const send = () => {
      if (packer.size === 0) return;
      sent += packer.size;
      const batch = packer.take();
      if (thread) thread.send(batch);
      else if (here) out.write(here.add(batch).text);
    };
    const result = run((ticket, rank) => {
      packer.pack(ticket, rank);
      if (packer.size >= BATCH_TICKETS) send();
    });
    send();
    if (sent !== tickets) throw new Error(`the JSON document: ${sent} tickets computed of ${tickets}`);
    // Made while the thread finishes the last lines.
    const indent = (value: unknown) => JSON.stringify(value, null, 2).replaceAll('\n', '\n  ');
    const callCases = indent(result.callCases.map(callCaseJson));
    const end = `\n  ],\n  "call_cases": ${callCases},\n  "report": ${indent(report())}\n}\n`;
    await thread?.finish(tickets);
    out.write(end);
  } finally {
    await thread?.stop();
  }
}

/**
 * The thread that makes the lines (lines-worker.ts). The engine's run is synchronous, so the
 * lines the thread sent back are taken off its port synchronously each time a batch is sent
 * (and written), and the rest awaited at the end.
 */
class LinesThread {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  /** Rejected when the thread fails or ends before `stop`. */
  private readonly failed: Promise<never>;
  private written = 0;

  constructor(private readonly out: NodeJS.WritableStream) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(new URL('./lines-worker.js', import.meta.url), {
      workerData: { port: port2 },
      transferList: [port2],
    });
    this.failed = new Promise((_, reject) => {
      this.worker.once('error', reject);
      this.worker.once('exit', (code) => {
        reject(new Error(`the thread making the JSON lines stopped (exit code ${code})`));
      });
    });
    this.failed.catch(() => {});
  }

  send(batch: PackedTickets): void {
    this.port.postMessage(batch, [batch.values.buffer as ArrayBuffer]);
    this.writeReady();
  }

  /** Wait until `lines` lines were written, writing them as they come. */
  async finish(lines: number): Promise<void> {
    this.writeReady();
    if (this.written === lines) return;
    const written = new Promise<void>((resolve) => {
      this.port.on('message', (ready: LinesBytes) => {
        this.write(ready);
        if (this.written === lines) resolve();
      });
    });
    await Promise.race([written, this.failed]);
  }

  async stop(): Promise<void> {
    this.port.close();
    await this.worker.terminate();
  }

  private writeReady(): void {
    for (let ready = receiveMessageOnPort(this.port); ready; ready = receiveMessageOnPort(this.port)) {
      this.write(ready.message as LinesBytes);
    }
  }

  private write({ text, lines }: LinesBytes): void {
    this.out.write(text);
    this.written += lines;
  }
}
