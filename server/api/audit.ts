/**
 * The audit log: one JSON object per line in AUDIT_DIR/audit.log (default DATA_DIR/audit), rotated
 * daily or at 10 MB, 30 files kept. Every write a person makes is recorded (a review of a match, an
 * investigation saved or deleted, a party watched or unwatched); with AUDIT_READS=1, every lookup too
 * (operation, variables cut short, key owner or address). API keys are never recorded.
 */
import fs from 'node:fs';
import { createStream, RotatingFileStream } from 'rotating-file-stream';
import { log } from '../core/logger';
import type { Caller } from './auth';

/** Longest text of the variables (JSON) a read event keeps. */
export const MAX_AUDIT_VARIABLES = 500;

export interface AuditEvent {
  event: 'review' | 'investigation' | 'watch' | 'read' | 'export';
  [field: string]: unknown;
}

/** Events recorded whatever AUDIT_READS says: the writes people make, which a compliance team must be able to trace. */
const WRITE_EVENTS: ReadonlySet<AuditEvent['event']> = new Set(['review', 'investigation', 'watch']);

export class AuditLog {
  private stream: RotatingFileStream | null = null;

  constructor(
    readonly dir: string,
    /** Whether reads are recorded (AUDIT_READS). */
    readonly reads: boolean,
  ) {}

  /** Appends one event with the time and who. Opened on first use, so a server nobody reviews on writes nothing. */
  record(caller: Caller | undefined, event: AuditEvent): void {
    if (!WRITE_EVENTS.has(event.event) && !this.reads) return;
    const line = {
      at: new Date().toISOString(),
      ...event,
      owner: caller?.principal?.owner ?? null,
      role: caller?.principal?.role ?? null,
      address: caller?.address ?? null,
    };
    this.open().write(`${JSON.stringify(line)}\n`);
  }

  private open(): RotatingFileStream {
    if (!this.stream) {
      fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      this.stream = createStream('audit.log', { path: this.dir, size: '10M', interval: '1d', maxFiles: 30, mode: 0o600 });
      // A full disk must not take the API down; it is said loudly instead.
      this.stream.on('error', (err) => log.error(`Audit log ${this.dir}: ${(err as Error).message}`));
    }
    return this.stream;
  }

  /** Flushes and closes the file. */
  async close(): Promise<void> {
    const stream = this.stream;
    this.stream = null;
    if (stream) await new Promise<void>((resolve) => stream.end(resolve));
  }
}

/** The variables of a request as JSON, cut to MAX_AUDIT_VARIABLES characters. */
export function truncatedJson(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  const text = JSON.stringify(value) ?? '';
  return text.length > MAX_AUDIT_VARIABLES ? `${text.slice(0, MAX_AUDIT_VARIABLES)}…` : text;
}
