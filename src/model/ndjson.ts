import { isAscii } from 'node:buffer';
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
 * The whole lines of a chunk of bytes are decoded at once, as Latin-1 when they are ASCII (a
 * copy; UTF-8 decoding was half the cost of splitting at a million events), and a line that
 * spans two chunks from its own bytes, so a character is never cut in two. A stream of
 * strings is split as it comes.
 */
export async function forEachLine(
  input: Readable,
  onLine: (text: string, line: number) => void,
  /** Awaited after each chunk's lines: the reader waits for what they started (backpressure). */
  afterChunk?: () => Promise<void>,
): Promise<number> {
  let line = 0;
  /** The start of the line that the next chunk ends, as text or bytes (as the chunks come). */
  let rest = '';
  let restBytes: Buffer | null = null;
  const lines = (text: string) => {
    let start = 0;
    let newline = text.indexOf('\n');
    while (newline !== -1) {
      line += 1;
      onLine(text.slice(start, newline), line);
      start = newline + 1;
      newline = text.indexOf('\n', start);
    }
    return text.slice(start);
  };
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    if (typeof chunk === 'string') {
      if (restBytes) {
        rest += decoded(restBytes);
        restBytes = null;
      }
      rest = lines(rest + chunk);
    } else {
      const last = chunk.lastIndexOf(NEWLINE);
      if (last === -1) {
        restBytes = restBytes ? Buffer.concat([restBytes, chunk]) : Buffer.from(chunk);
      } else {
        let start = 0;
        if (restBytes || rest) {
          const first = chunk.indexOf(NEWLINE);
          const head = restBytes
            ? Buffer.concat([restBytes, chunk.subarray(0, first)])
            : chunk.subarray(0, first);
          line += 1;
          onLine(rest + decoded(head), line);
          rest = '';
          start = first + 1;
        }
        // In pieces of whole lines: a string past ~128 KiB is made in the old generation,
        // where it stays until a full collection (1M report peak +40 MiB with 1 MiB whole).
        const end = last + 1;
        while (start < end) {
          let stop = start + PIECE_BYTES >= end ? end : chunk.lastIndexOf(NEWLINE, start + PIECE_BYTES) + 1;
          if (stop <= start) stop = chunk.indexOf(NEWLINE, start) + 1;
          lines(decoded(chunk, start, stop));
          start = stop;
        }
        restBytes = last + 1 < chunk.length ? Buffer.from(chunk.subarray(last + 1)) : null;
      }
    }
    if (afterChunk) await afterChunk();
  }
  const end = restBytes ? rest + decoded(restBytes) : rest;
  if (end.length > 0) {
    line += 1;
    onLine(end, line);
  }
  return line;
}

const NEWLINE = 0x0a;
/** Bytes of whole lines decoded into one string at most (unless one line is longer). */
const PIECE_BYTES = 64 * 1024;

/** Bytes as UTF-8 text: as Latin-1 (a copy) when they are all ASCII, where the two agree. */
function decoded(bytes: Buffer, start = 0, end = bytes.length): string {
  return isAscii(bytes.subarray(start, end))
    ? bytes.toString('latin1', start, end)
    : bytes.toString('utf8', start, end);
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
