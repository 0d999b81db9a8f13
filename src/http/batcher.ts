import type { Queue } from 'bullmq';
import type { Delivery } from '../jobs/ingest.js';

/**
 * Gathers the deliveries that arrive in one turn of the event loop (up to `maxBatch`) into one
 * ingest job. Every request is answered only after Redis has confirmed the job holding it, so
 * a 202 means the delivery is safe; if Redis refuses, every request of the batch gets the error.
 */
export class DeliveryBatcher {
  private pending: Array<{ delivery: Delivery; done: () => void; fail: (error: Error) => void }> = [];
  private scheduled = false;

  constructor(
    private readonly queue: Queue,
    private readonly maxBatch = 500,
  ) {}

  submit(delivery: Delivery): Promise<void> {
    return new Promise((done, fail) => {
      this.pending.push({ delivery, done, fail });
      if (this.pending.length >= this.maxBatch) this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    this.queue.add('deliveries', { deliveries: batch.map((item) => item.delivery) }).then(
      () => {
        for (const item of batch) item.done();
      },
      (error: Error) => {
        for (const item of batch) item.fail(error);
      },
    );
  }
}
