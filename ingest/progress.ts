/**
 * Progress of long work: a bar with rate and ETA on a terminal, a plain line every 25% otherwise
 * (CI logs, pipes). Always on stderr, so stdout stays machine-readable.
 */
import cliProgress from 'cli-progress';

export interface Progress {
  start(total: number, phase: string, unit: string): void;
  update(done: number, phase?: string): void;
  stop(): void;
}

export function createProgress(enabled = true): Progress {
  if (!enabled) return { start() {}, update() {}, stop() {} };
  if (process.stderr.isTTY) {
    let bar: cliProgress.SingleBar | undefined;
    return {
      start(total, phase, unit) {
        bar?.stop();
        bar = new cliProgress.SingleBar(
          {
            format: `{phase} [{bar}] {percentage}% | {value}/{total} ${unit} | {speed} ${unit}/s | ETA {eta_formatted}`,
            stream: process.stderr,
            hideCursor: true,
            etaBuffer: 50,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total, 0, { phase: phase.padEnd(12), speed: '0' });
      },
      update(done, phase) {
        if (!bar) return;
        const elapsed = (Date.now() - (bar as unknown as { startTime: number }).startTime) / 1000 || 1;
        bar.update(done, { speed: Math.round(done / elapsed), ...(phase ? { phase: phase.padEnd(12) } : {}) });
      },
      stop() {
        bar?.stop();
        bar = undefined;
      },
    };
  }
  let total = 0;
  let next = 0;
  let started = 0;
  let label = '';
  let unitName = '';
  return {
    start(t, phase, unit) {
      total = t;
      next = 0.25;
      started = Date.now();
      label = phase;
      unitName = unit;
      process.stderr.write(`${phase}: 0/${t} ${unit}\n`);
    },
    update(done, phase) {
      if (phase) label = phase;
      if (total > 0 && done / total >= next) {
        const rate = Math.round(done / Math.max((Date.now() - started) / 1000, 0.001));
        process.stderr.write(`${label}: ${done}/${total} ${unitName} (${Math.floor((done / total) * 100)}%, ${rate} ${unitName}/s)\n`);
        while (done / total >= next) next += 0.25;
      }
    },
    stop() {},
  };
}
