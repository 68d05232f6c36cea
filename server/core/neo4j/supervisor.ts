/**
 * Keeps the embedded Neo4j running after start-up: when its process ends without having been asked to
 * (killed, crashed, out of memory), the supervisor says so (the API answers 503 with the reason), starts
 * it again through connectNeo4j (same DATA_DIR and port, so the same database comes back; or the server
 * another process of this DATA_DIR has meanwhile started), with back-off, and says when it answers again.
 * An external Neo4j (NEO4J_URI) is not supervised: the driver reconnects to it by itself.
 */
import { Settings } from '../settings';
import { log } from '../logger';
import { connectNeo4j, Neo4jEndpoint } from './embedded';

export interface SupervisorHooks {
  /** Neo4j is gone or being restarted: why, for /healthz and the log. */
  down(reason: string): void;
  /** A server answers again (possibly another endpoint); throwing counts as a failed restart. */
  up(endpoint: Neo4jEndpoint): Promise<void>;
}

/** First retry after 1 s, doubling to at most a minute; a server that stayed up 10 minutes starts the count over. */
const FIRST_DELAY_MS = 1000;
const MAX_DELAY_MS = 60_000;
const STABLE_MS = 10 * 60_000;

export class Neo4jSupervisor {
  private current: Neo4jEndpoint;
  private stopped = false;
  private failures = 0;
  private upSince = Date.now();
  private wake: (() => void) | null = null;

  constructor(
    private readonly settings: Settings,
    endpoint: Neo4jEndpoint,
    private readonly hooks: SupervisorHooks,
  ) {
    this.current = endpoint;
    this.watch(endpoint);
  }

  get endpoint(): Neo4jEndpoint {
    return this.current;
  }

  /** Stops supervising, then stops the server if this process owns it. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.current.stop();
  }

  private watch(endpoint: Neo4jEndpoint): void {
    void endpoint.exited?.then((how) => {
      if (!this.stopped && endpoint === this.current) void this.restart(how);
    });
  }

  private async sleep(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wake = null;
  }

  private async restart(how: string): Promise<void> {
    if (Date.now() - this.upSince > STABLE_MS) this.failures = 0;
    let reason = `Neo4j stopped unexpectedly (${how}); restarting it`;
    log.error(reason);
    for (;;) {
      const delay = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** this.failures);
      this.hooks.down(reason);
      await this.sleep(delay);
      if (this.stopped) return;
      let endpoint: Neo4jEndpoint | undefined;
      try {
        endpoint = await connectNeo4j(this.settings);
        if (this.stopped) {
          await endpoint.stop();
          return;
        }
        await this.hooks.up(endpoint);
        this.current = endpoint;
        this.upSince = Date.now();
        this.failures++; // a crash soon after this restart waits longer before the next one
        this.watch(endpoint);
        log.info('Neo4j is back: serving again');
        return;
      } catch (err) {
        this.failures++;
        const next = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** this.failures) / 1000;
        reason = `Neo4j could not be restarted (${(err as Error).message.split('\n')[0]}); next attempt in ${next} s`;
        log.error(reason);
        if (endpoint && endpoint !== this.current) await endpoint.stop().catch(() => undefined);
      }
    }
  }
}
