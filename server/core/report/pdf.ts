/**
 * The case report as PDF: Chromium's own print to PDF of the HTML (html.ts), run headless as a child
 * process with a time limit, its files (the HTML, the PDF, the browser profile) in a private folder
 * (mkdtemp: mode 0700) removed afterwards whatever happens. Without Chromium the report is the HTML only:
 * the route answers 501 (NoPdfError) saying so.
 *
 * CHROMIUM_PATH (settings.ts, default /usr/bin/chromium) names it: the same variable the e2e tests use.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../errors';
import { chromiumPath } from '../settings';

/** No Chromium on this server: the PDF cannot be made (the HTML can). */
export class NoPdfError extends AppError {
  override readonly code = 'PDF_UNAVAILABLE';
  override readonly status = 501;
}

export const PDF_TIMEOUT_MS = 60_000;

export { chromiumPath };

export function pdfAvailable(chromium = chromiumPath()): boolean {
  try {
    fs.accessSync(chromium, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The PDF of an HTML document (a Buffer starting %PDF), or a NoPdfError / an Error saying what Chromium did. */
export async function htmlToPdf(html: string, opts: { chromium?: string; timeoutMs?: number } = {}): Promise<Buffer> {
  const chromium = opts.chromium ?? chromiumPath();
  if (!pdfAvailable(chromium)) {
    throw new NoPdfError(`No Chromium at ${chromium} on this server, so no PDF: open the report as HTML (report.html) and print it from the browser, or install Chromium (CHROMIUM_PATH)`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-report-'));
  try {
    const input = path.join(dir, 'report.html');
    const output = path.join(dir, 'report.pdf');
    fs.writeFileSync(input, html, { mode: 0o600 });
    const args = [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--no-first-run',
      // No --blink-settings=scriptEnabled=false: headless printing then writes no PDF (exit 0, no file).
      // The report holds no script, and its own Content-Security-Policy (html.ts) forbids any.
      '--no-pdf-header-footer',
      `--user-data-dir=${path.join(dir, 'profile')}`,
      `--print-to-pdf=${output}`,
      `file://${input}`,
    ];
    await new Promise<void>((resolve, reject) => {
      const child = spawn(chromium, args, { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (b: Buffer) => {
        if (stderr.length < 4000) stderr += b.toString();
      });
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`Chromium did not print the report within ${(opts.timeoutMs ?? PDF_TIMEOUT_MS) / 1000} s`));
      }, opts.timeoutMs ?? PDF_TIMEOUT_MS);
      child.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        if (code === 0 && fs.existsSync(output)) resolve();
        else reject(new Error(`Chromium (${chromium}) exited with ${code} without a PDF: ${stderr.trim().slice(-500)}`));
      });
    });
    return fs.readFileSync(output);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
