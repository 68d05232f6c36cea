/**
 * A small leveled logger writing to stderr, so that stdout stays free for machine-readable output
 * (`ingest --json`). Secrets never go through here: callers pass messages, not connection objects.
 * The level is a setting (LOG_LEVEL, read in settings.ts); `setLogLevel` applies loaded settings.
 */
import { LOG_LEVELS, LogLevel, logLevel, SettingsError } from './settings';

/** The level LOG_LEVEL names; a malformed one is reported by loadSettings, and logs at info until then. */
function initialLevel(): LogLevel {
  try {
    return logLevel();
  } catch (err) {
    if (err instanceof SettingsError) return 'info';
    throw err;
  }
}

let threshold = LOG_LEVELS.indexOf(initialLevel());

export function setLogLevel(level: LogLevel): void {
  threshold = LOG_LEVELS.indexOf(level);
}

function write(level: LogLevel, msg: string): void {
  if (LOG_LEVELS.indexOf(level) < threshold) return;
  const prefix = level === 'info' ? '' : `${level.toUpperCase()} `;
  process.stderr.write(`${prefix}${msg}\n`);
}

export const log = {
  debug: (msg: string) => write('debug', msg),
  info: (msg: string) => write('info', msg),
  warn: (msg: string) => write('warn', msg),
  error: (msg: string) => write('error', msg),
};
