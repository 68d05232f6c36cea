/**
 * A small leveled logger writing to stderr, so that stdout stays free for machine-readable output
 * (`ingest --json`). Secrets never go through here: callers pass messages, not connection objects.
 */
const LEVELS = ['debug', 'info', 'warn', 'error'] as const;
type Level = (typeof LEVELS)[number];

let threshold = LEVELS.indexOf((process.env.LOG_LEVEL as Level) || 'info');
if (threshold < 0) threshold = 1;

export function setLogLevel(level: string): void {
  const i = LEVELS.indexOf(level as Level);
  if (i >= 0) threshold = i;
}

function write(level: Level, msg: string): void {
  if (LEVELS.indexOf(level) < threshold) return;
  const prefix = level === 'info' ? '' : `${level.toUpperCase()} `;
  process.stderr.write(`${prefix}${msg}\n`);
}

export const log = {
  debug: (msg: string) => write('debug', msg),
  info: (msg: string) => write('info', msg),
  warn: (msg: string) => write('warn', msg),
  error: (msg: string) => write('error', msg),
};
