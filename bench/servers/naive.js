// (b) What most would write: express, a JSON body parser, one queue.add per request.
import { Queue } from 'bullmq';
import express from 'express';

const [port, redisUrl] = process.argv.slice(2);
const url = new URL(redisUrl);
const queue = new Queue('naive-ingest', { connection: { host: url.hostname, port: Number(url.port) } });
const app = express();
app.use(express.json({ limit: '1mb' }));
app.post('/webhooks/zendesk/:tenant', async (request, response) => {
  await queue.add('delivery', { tenant: request.params.tenant, body: request.body });
  response.status(202).json({ status: 'accepted' });
});
app.listen(Number(port), '127.0.0.1', () => process.send?.('ready'));
