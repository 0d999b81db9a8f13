import type { Readable } from 'node:stream';
import type { NormalizedEvent } from './events.js';
import { parseEventLine } from './validate.js';

export interface LineError {
  line: number;
  reason: string;
}

/**
 * Split a byte stream into lines, a chunk's worth at a time (one `await` per chunk, not per
 * line), keeping line numbers exact: a blank line still counts, so numbers match an editor's.
 */
export async function forEachLine(
  input: Readable,
  onLine: (text: string, line: number) => void,
  /** Awaited after each chunk's lines: the reader waits for what they started (backpressure). */
  afterChunk?: () => Promise<void>,
): Promise<number> {
  let rest = '';
  let line = 0;
  input.setEncoding('utf8');
  for await (const chunk of input as AsyncIterable<string>) {
    const text = rest + chunk;
    let start = 0;
    let newline = text.indexOf('\n');
    while (newline !== -1) {
      line += 1;
      onLine(text.slice(start, newline), line);
      start = newline + 1;
      newline = text.indexOf('\n', start);
    }
    rest = text.slice(start);
    if (afterChunk) await afterChunk();
  }
  if (rest.length > 0) {
    line += 1;
    onLine(rest, line);
  }
  return line;
}

/**
 * Without the byte-order mark that may open a text (Windows tools and spreadsheet exports write
 * one): it is not part of the first line or value.
 */
export const withoutBom = (text: string): string => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

/**
 * Read NDJSON events: every good line reaches `onEvent`, every bad one `onError` with its line
 * number and reason. A bad line never hides a good neighbour. A byte-order mark opening the file
 * (Windows tools and spreadsheet exports write one) is not part of the first line;
 * `fileStart: false` reads a part that starts further into a file, where it would be.
 */
export async function readEvents(
  input: Readable,
  onEvent: (event: NormalizedEvent, line: number) => void,
  onError: (error: LineError) => void,
  { fileStart = true, afterChunk }: { fileStart?: boolean; afterChunk?: () => Promise<void> } = {},
): Promise<{ lines: number; events: number; errors: number }> {
  let events = 0;
  let errors = 0;
  const lines = await forEachLine(
    input,
    (whole, line) => {
      const text = line === 1 && fileStart ? withoutBom(whole) : whole;
      const trimmed = text.endsWith('\r') ? text.slice(0, -1) : text;
      if (trimmed.trim() === '') return;
      const result = parseEventLine(trimmed);
      if (result.ok) {
        events += 1;
        onEvent(result.value, line);
      } else {
        errors += 1;
        onError({ line, reason: result.error });
      }
    },
    afterChunk,
  );
  return { lines, events, errors };
}
