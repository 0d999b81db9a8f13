import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { forEachLine, readEvents } from '../../src/model/ndjson.js';
import { parseEventLine } from '../../src/model/validate.js';

const good = (fields: Record<string, unknown>) =>
  JSON.stringify({
    id: 'x',
    type: 'message',
    at: '2026-03-02T14:00:00Z',
    source: 'zendesk',
    ticket: '1',
    author: 'agent',
    ...fields,
  });

describe('event validation', () => {
  it('accepts every example of EVENTS.md', () => {
    const examples = [
      '{"id":"z-1","type":"ticket.created","at":"2026-03-02T14:00:00Z","source":"zendesk","ticket":"4521","channel":"email","customer":["email:ana@example.com","phone:+14155550100"],"priority":"high","team":"billing"}',
      '{"id":"z-2","type":"message","at":"2026-03-02T14:00:00Z","source":"zendesk","ticket":"4521","author":"customer","public":true}',
      '{"id":"z-3","type":"ticket.updated","at":"2026-03-02T14:10:00Z","source":"zendesk","ticket":"4521","agent":"maria","status":"open"}',
      '{"id":"a-9","type":"call","at":"2026-03-02T15:00:00Z","source":"aircall","customer":"phone:+14155550100","agent":"maria","team":"billing","call":{"id":"c-9","direction":"inbound","started_at":"2026-03-02T15:00:00Z","answered_at":"2026-03-02T15:00:40Z","ended_at":"2026-03-02T15:06:40Z","hold_seconds":30,"outcome":"answered"}}',
      '{"id":"s-1","type":"survey","at":"2026-03-02T16:00:00Z","source":"zendesk","kind":"csat","score":1,"scale_max":1,"ticket":"4521"}',
    ];
    for (const line of examples) expect(parseEventLine(line)).toMatchObject({ ok: true });
  });

  it.each([
    [good({ author: 'robot' }), 'message.author must be one of customer, agent, bot, system'],
    [
      good({ type: 'note' }),
      'type must be one of ticket.created, ticket.updated, message, call, survey (got "note")',
    ],
    [good({ at: '2026-03-02T14:00:00' }), 'message.at must be an ISO-8601 instant with an offset'],
    [good({ ticket: undefined }), 'message.ticket is required'],
    [good({ public: 'yes' }), 'message.public must be a boolean'],
    [
      '{"id":"c","type":"call","at":"2026-03-02T15:00:00Z","source":"a","call":{"id":"c","direction":"inbound","started_at":"2026-03-02T15:00:00Z","ended_at":"2026-03-02T15:06:40Z","outcome":"answered"}}',
      'call.call.answered_at is required when outcome is answered',
    ],
    [
      '{"id":"c","type":"call","at":"2026-03-02T15:01:00Z","source":"a","call":{"id":"c","direction":"inbound","started_at":"2026-03-02T15:00:00Z","ended_at":"2026-03-02T15:06:40Z","outcome":"missed"}}',
      'call.at must equal call.started_at',
    ],
    [
      '{"id":"s","type":"survey","at":"2026-03-02T15:00:00Z","source":"a","kind":"nps","score":11}',
      'survey.score must be between 0 and 10',
    ],
    [
      '{"id":"c","type":"call","at":"2026-03-02T15:00:00Z","source":"a","call":{"id":"c","direction":"inbound","started_at":"2026-03-02T15:00:00Z","ended_at":"2026-03-02T15:06:40Z","outcome":"missed","hold_seconds":-4}}',
      'call.call.hold_seconds must be at least 0',
    ],
    [good({ customer: [] }), 'message.customer must list at least 1'],
    ['[1,2]', 'an event must be a JSON object'],
    ['{"id":', 'not valid JSON'],
  ])('%s → %s', (line, reason) => {
    const result = parseEventLine(line);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain(reason);
  });
});

describe('NDJSON reader', () => {
  it('reports each bad line with its number and keeps every good one, across chunk boundaries', async () => {
    const lines = [
      good({ id: 'a' }),
      '',
      good({ author: 'robot' }),
      'garbage',
      good({ id: 'b' }),
      good({ id: 'c' }),
    ];
    const text = `${lines.join('\r\n')}`;
    // Chunks of 7 bytes split lines (and CRLFs) in awkward places.
    const chunks = text.match(/[\s\S]{1,7}/g) ?? [];
    const ids: string[] = [];
    const errors: Array<{ line: number; reason: string }> = [];
    const summary = await readEvents(
      Readable.from(chunks.map((c) => Buffer.from(c))),
      (e) => ids.push(e.id),
      (e) => errors.push(e),
    );
    expect(ids).toEqual(['a', 'b', 'c']);
    expect(errors.map((e) => e.line)).toEqual([3, 4]);
    expect(errors[0]?.reason).toContain('author must be one of');
    expect(summary).toEqual({ lines: 6, events: 3, errors: 2 });
  });

  it('splits any text into its lines, whatever its chunks of bytes (or strings)', async () => {
    // Characters of one to four bytes, newlines, carriage returns, invalid bytes' stand-in.
    const unit = fc.constantFrom('a', '{', '"', 'é', '✓', '😀', '\n', '\r', '\uFFFD', ' ');
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit, maxLength: 80 }),
        fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1 }),
        fc.constantFrom('bytes', 'strings', 'mixed'),
        async (text, sizes, mode) => {
          const bytes = Buffer.from(text);
          const chunks: (Buffer | string)[] = [];
          for (let at = 0, k = 0; at < bytes.length; k += 1) {
            const size = sizes[k % sizes.length] as number;
            chunks.push(bytes.subarray(at, at + size));
            at += size;
          }
          // Strings are cut between characters (a stream of strings never splits one); mixed
          // with bytes, every other character as a string.
          const characters = [...text];
          const input =
            mode === 'strings'
              ? characters
              : mode === 'mixed'
                ? characters.map((c, i) => (i % 2 === 0 ? c : Buffer.from(c)))
                : chunks;
          const lines: string[] = [];
          const count = await forEachLine(Readable.from(input), (line, n) => {
            expect(n).toBe(lines.length + 1);
            lines.push(line);
          });
          const expected = text.split('\n');
          if (expected.at(-1) === '') expected.pop();
          expect(lines).toEqual(expected);
          expect(count).toBe(expected.length);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('splits large chunks with lines shorter and longer than the pieces they are decoded in', async () => {
    const lengths = [10, 70_000, 5, 0, 140_000, 65_535, 65_536, 3, 200_000, 1];
    const lines = lengths.map((length, i) => 'é✓a'.repeat(length / 3 + i).slice(0, length));
    const text = `${lines.join('\n')}\n`;
    const bytes = Buffer.from(text);
    for (const size of [bytes.length, 300_000, 65_536, 1 << 20]) {
      const chunks: Buffer[] = [];
      for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
      const read: string[] = [];
      await forEachLine(Readable.from(chunks), (line) => read.push(line));
      expect(read).toEqual(lines);
    }
  });

  it('keeps multi-byte characters whole when a chunk splits them', async () => {
    const line = good({ id: 'ñandú-✓' });
    const bytes = Buffer.from(`${line}\n`);
    const chunks = [...bytes].map((b) => Buffer.from([b]));
    const ids: string[] = [];
    await readEvents(
      Readable.from(chunks),
      (e) => ids.push(e.id),
      () => {},
    );
    expect(ids).toEqual(['ñandú-✓']);
  });

  it('reads past a byte-order mark that opens the file (split across chunks), and only there', async () => {
    const text = `\uFEFF${good({ id: 'a' })}\n\uFEFF${good({ id: 'b' })}\n${good({ id: 'c' })}\n`;
    const bytes = Buffer.from(text);
    const read = async (options?: { fileStart?: boolean }) => {
      const ids: string[] = [];
      const errors: number[] = [];
      await readEvents(
        Readable.from([bytes.subarray(0, 2), bytes.subarray(2)]),
        (e) => ids.push(e.id),
        (e) => errors.push(e.line),
        options,
      );
      return { ids, errors };
    };
    // A mark inside the file is no JSON whitespace: that line is bad.
    expect(await read()).toEqual({ ids: ['a', 'c'], errors: [2] });
    // A part read from further into a file keeps its first line as it is.
    expect(await read({ fileStart: false })).toEqual({ ids: ['c'], errors: [1, 2] });
  });
});
