import { type MessagePort, workerData } from 'node:worker_threads';
import type { PackedTickets } from '../metrics/ticket-lines.js';
import { TicketLines } from './json-document.js';

/** Makes tickets' JSON lines from their packed results, a batch at a time (json-document.ts). */
const { port } = workerData as { port: MessagePort };
const lines = new TicketLines();
port.on('message', (batch: PackedTickets) => {
  const ready = lines.add(batch);
  if (ready.lines > 0) port.postMessage(ready, [ready.text.buffer as ArrayBuffer]);
});
