// (c) deskpulse's receiver alone (no workers): verify, check the payload, micro-batched enqueue.
import { startService } from '../../dist/cli/service.js';
import { loadServiceConfig } from '../../dist/config/service-config.js';

const [port, redisUrl, configPath] = process.argv.slice(2);
await startService({
  config: loadServiceConfig(configPath),
  redisUrl,
  port: Number(port),
  workers: false,
  queuePrefix: '{bench}',
  log: () => {},
});
process.send?.('ready');
