/**
 * Puts things numbered 0, 1, 2… back in order: each goes to `take` as soon as every one
 * numbered before it has; those that come early wait.
 */
export class InOrder<T> {
  private readonly early = new Map<number, T>();
  private next = 0;

  constructor(private readonly take: (value: T, rank: number) => void) {}

  put(rank: number, value: T): void {
    if (rank !== this.next) {
      if (rank < this.next || this.early.has(rank)) throw new Error(`InOrder: ${rank} came twice`);
      this.early.set(rank, value);
      return;
    }
    this.take(value, rank);
    this.next += 1;
    while (this.early.has(this.next)) {
      const waiting = this.early.get(this.next) as T;
      this.early.delete(this.next);
      this.take(waiting, this.next);
      this.next += 1;
    }
  }

  /** How many were taken (all those numbered below this). */
  get taken(): number {
    return this.next;
  }

  /** How many wait for one numbered before them. */
  get waiting(): number {
    return this.early.size;
  }
}
