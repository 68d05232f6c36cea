/**
 * Builds the explorer into client/dist when it is missing or older than its sources, so `npm start` and
 * `npm test` always serve the current client without a separate build step. `--force` always builds.
 */
import fs from 'node:fs';
import path from 'node:path';

const CLIENT = __dirname;
const DIST = path.join(CLIENT, 'dist');
const STAMP = path.join(DIST, '.built-from');
/** Sources of the build: the client, and the model it derives its legend and styles from. */
const SOURCES = [path.join(CLIENT, 'src'), path.join(CLIENT, 'index.html'), path.join(CLIENT, 'graphiql.html'), path.join(CLIENT, 'vite.config.mts'), path.join(CLIENT, '..', 'server', 'core', 'model.ts')];

function newest(p: string): number {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...fs.readdirSync(p).map((f) => newest(path.join(p, f))));
}

export function clientIsStale(): boolean {
  if (!fs.existsSync(STAMP)) return true;
  return Math.max(...SOURCES.map(newest)) > fs.statSync(STAMP).mtimeMs;
}

export async function ensureClientBuilt(force = false): Promise<boolean> {
  if (!force && !clientIsStale()) return false;
  const started = Date.now();
  process.stderr.write('Building the explorer into client/dist (done once after each change to client/)...\n');
  // Vite's types need 'bundler' module resolution; the server code uses 'node'. Typed here by hand.
  const { build } = (await import('vite' as string)) as { build(config: { configFile: string; mode: string }): Promise<unknown> };
  // A production bundle whatever NODE_ENV the caller has (Jest sets "test", which Vite would pass on
  // to React: its development build is several times slower).
  process.env.NODE_ENV = 'production';
  await build({ configFile: path.join(CLIENT, 'vite.config.mts'), mode: 'production' });
  fs.writeFileSync(STAMP, new Date().toISOString() + '\n');
  process.stderr.write(`Explorer built in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return true;
}

if (require.main === module) {
  ensureClientBuilt(process.argv.includes('--force')).catch((err) => {
    process.stderr.write(`Building the explorer failed: ${(err as Error).message}\n`);
    process.exit(1);
  });
}
