import type { Readable } from 'node:stream';
import type { NormalizedEvent } from './events.js';
import { parseEventLine } from './validate.js';

export interface LineError {
  line: number;
  reason: string;
}

/**
 * Split a byte stream into lines without readline's per-line overhead, keeping line numbers exact
 * (a blank line still counts as a line, so the numbers match what an editor shows).
 */
export async function* readLines(input: Readable): AsyncGenerator<{ line: number; text: string }> {
  let rest = '';
  let line = 0;
  input.setEncoding('utf8');
  for await (const chunk of input as AsyncIterable<string>) {
    const text = rest + chunk;
    let start = 0;
    let newline = text.indexOf('\n', start);
    while (newline !== -1) {
      line += 1;
      yield { line, text: text.slice(start, newline) };
      start = newline + 1;
      newline = text.indexOf('\n', start);
    }
    rest = text.slice(start);
  }
  if (rest.length > 0) {
    line += 1;
    yield { line, text: rest };
  }
}

/**
 * Read NDJSON events: every good line reaches `onEvent`, every bad one `onError` with its line
 * number and reason. A bad line never hides a good neighbour.
 */
export async function readEvents(
  input: Readable,
  onEvent: (event: NormalizedEvent, line: number) => void,
  onError: (error: LineError) => void,
): Promise<{ lines: number; events: number; errors: number }> {
  let lines = 0;
  let events = 0;
  let errors = 0;
  for await (const { line, text } of readLines(input)) {
    lines = line;
    const trimmed = text.endsWith('\r') ? text.slice(0, -1) : text;
    if (trimmed.trim() === '') continue;
    const result = parseEventLine(trimmed);
    if (result.ok) {
      events += 1;
      onEvent(result.value, line);
    } else {
      errors += 1;
      onError({ line, reason: result.error });
    }
  }
  return { lines, events, errors };
}
