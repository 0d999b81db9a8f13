// Runs a Node script as it is and reports its peak resident memory on the way out:
// node bench/peak-rss.js SCRIPT ARGS…
import { pathToFileURL } from 'node:url';

const [script, ...args] = process.argv.slice(2);
process.argv = [process.argv[0], script, ...args];
process.on('exit', () => {
  process.stderr.write(`\n@@peak-rss ${process.resourceUsage().maxRSS * 1024}\n`);
});
await import(pathToFileURL(script).href);
