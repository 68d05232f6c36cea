/**
 * Admission control for the requests that do database work (/graphql, /api/export; never /healthz or
 * the explorer's files): a per-client rate limit (RATE_LIMIT a minute, by API key owner, else by
 * address) answered 429 RATE_LIMITED, and a bound on how many run at once (MAX_CONCURRENT_QUERIES), with
 * a short queue (QUERY_QUEUE, QUERY_QUEUE_WAIT) beyond which requests are answered 503 BUSY. Both
 * carry Retry-After, so a client backs off instead of piling up until the driver's pool times out.
 */
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { BusyError, RateLimitedError } from '../core/errors';

/** One request's place: `ready` resolves when it may run (or rejects with BusyError); `leave` frees its slot or place in the queue. */
export interface Ticket {
  ready: Promise<void>;
  leave(): void;
}

/** A counting semaphore with a bounded, time-limited first-in first-out queue. */
export class Admission {
  private running = 0;
  private readonly queue: { grant(): void; timer: NodeJS.Timeout }[] = [];

  constructor(
    readonly maxConcurrent: number,
    readonly maxQueued: number,
    readonly maxWaitMs: number,
  ) {}

  /** Requests running now and waiting now. */
  get load(): { running: number; queued: number } {
    return { running: this.running, queued: this.queue.length };
  }

  private get retryAfterS(): number {
    return Math.max(1, Math.ceil(this.maxWaitMs / 1000));
  }

  enter(): Ticket {
    let state: 'waiting' | 'running' | 'gone' = 'waiting';
    const leave = () => {
      if (state === 'running') {
        this.running--;
        this.next();
      } else if (state === 'waiting') {
        const i = this.queue.findIndex((w) => w === place);
        if (i >= 0) {
          clearTimeout(this.queue[i].timer);
          this.queue.splice(i, 1);
        }
      }
      state = 'gone';
    };
    let place: { grant(): void; timer: NodeJS.Timeout } | undefined;
    if (this.running < this.maxConcurrent) {
      this.running++;
      state = 'running';
      return { ready: Promise.resolve(), leave };
    }
    if (this.queue.length >= this.maxQueued) {
      state = 'gone';
      return { ready: Promise.reject(this.busy()), leave };
    }
    const ready = new Promise<void>((resolve, reject) => {
      place = {
        grant: () => {
          state = 'running';
          resolve();
        },
        timer: setTimeout(() => {
          leave();
          reject(this.busy());
        }, this.maxWaitMs),
      };
      this.queue.push(place);
    });
    return { ready, leave };
  }

  /** A slot came free: the longest-waiting request takes it. */
  private next(): void {
    const w = this.queue.shift();
    if (!w) return;
    clearTimeout(w.timer);
    this.running++;
    w.grant();
  }

  private busy(): BusyError {
    return new BusyError(
      `The server is busy (${this.maxConcurrent} requests running, ${this.maxQueued} waiting); retry in ${this.retryAfterS} s`,
      this.retryAfterS,
    );
  }
}

/** Requests per minute per client; 0 switches the limit off. */
export class RateLimit {
  private readonly limiter: RateLimiterMemory | null;

  constructor(readonly perMinute: number) {
    this.limiter = perMinute > 0 ? new RateLimiterMemory({ points: perMinute, duration: 60 }) : null;
  }

  /** Counts one request of `client`; throws RateLimitedError past the limit. */
  async take(client: string): Promise<void> {
    if (!this.limiter) return;
    try {
      await this.limiter.consume(client);
    } catch (res) {
      if (!(res instanceof RateLimiterRes)) throw res;
      const retryAfterS = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
      throw new RateLimitedError(`Too many requests: at most ${this.perMinute} a minute per client (RATE_LIMIT); retry in ${retryAfterS} s`, retryAfterS);
    }
  }
}
