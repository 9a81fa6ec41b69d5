/** A counting semaphore: at most `limit` holders at once, the rest queued in order (at most `maxWaiting` of them). */
export class Semaphore {
  private holders = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    readonly limit: number,
    readonly maxWaiting = Infinity,
  ) {}

  /** How many hold it now. */
  get active(): number {
    return this.holders;
  }

  /** Resolves with a release function once there is room; false at once when the queue is full too. */
  async acquire(): Promise<(() => void) | false> {
    if (this.holders >= this.limit) {
      if (this.waiting.length >= this.maxWaiting) return false;
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.holders += 1;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      // The place passes straight to the next in the queue, so nobody arriving meanwhile can take it first.
      if (next) next();
      else this.holders -= 1;
    };
  }

  /** Runs `work` holding a place. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    const release = (await this.acquire()) as () => void;
    try {
      return await work();
    } finally {
      release();
    }
  }
}
