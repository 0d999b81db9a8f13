// The baseline: read a file and JSON.parse every line, nothing else.
import { createReadStream } from 'node:fs';

let rest = '';
let events = 0;
for await (const chunk of createReadStream(process.argv[2], { encoding: 'utf8' })) {
  const lines = (rest + chunk).split('\n');
  rest = lines.pop() ?? '';
  for (const line of lines) {
    if (line) {
      JSON.parse(line);
      events += 1;
    }
  }
}
if (rest) {
  JSON.parse(rest);
  events += 1;
}
process.stderr.write(`${events} events parsed\n`);
