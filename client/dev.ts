/**
 * `npm run dev`: the API server (as `npm start` runs it, on PORT, default 4000) and Vite's dev server
 * with hot reload on DEV_PORT (default 5173), which proxies /graphql, /api and /healthz to the API.
 * Open http://localhost:5173/ while editing client/.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';

async function main() {
  const api = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '..', 'server', 'main.ts')], { stdio: 'inherit', env: process.env });
  // Vite's types need 'bundler' module resolution; the server code uses 'node'. Typed here by hand.
  const { createServer } = (await import('vite' as string)) as {
    createServer(config: { configFile: string; logLevel: string }): Promise<{ listen(): Promise<unknown>; printUrls(): void; close(): Promise<void> }>;
  };
  const vite = await createServer({ configFile: path.join(__dirname, 'vite.config.mts'), logLevel: 'info' });
  await vite.listen();
  vite.printUrls();
  const stop = async () => {
    api.kill('SIGTERM');
    await vite.close();
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  api.on('exit', (code) => {
    void vite.close().then(() => process.exit(code ?? 0));
  });
}

main().catch((err) => {
  process.stderr.write(`npm run dev failed: ${(err as Error).message}\n`);
  process.exit(1);
});
