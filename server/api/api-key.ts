/**
 * Makes an API key for API_KEYS_FILE: `npx tsx server/api/api-key.ts <owner> <viewer|reviewer|admin>`
 * prints a new random key (shown this once: hand it to its owner) and the line to append to the file,
 * which holds only the key's SHA-256. With `--stdin`, hashes a key read from standard input instead.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { ROLES, Role, sha256Hex } from './auth';

function main(argv: string[]): number {
  const stdin = argv.includes('--stdin');
  const [owner, role] = argv.filter((a) => a !== '--stdin');
  if (!owner || !ROLES.includes(role as Role)) {
    process.stderr.write(`usage: npx tsx server/api/api-key.ts <owner> <${ROLES.join('|')}> [--stdin]\n`);
    return 2;
  }
  const key = stdin ? fs.readFileSync(0, 'utf8').trim() : `sg_${crypto.randomBytes(32).toString('base64url')}`;
  if (key.length < 16) {
    process.stderr.write('A key must be at least 16 characters\n');
    return 2;
  }
  if (!stdin) process.stderr.write(`The key of ${owner} (shown only now; send it in the x-api-key header):\n${key}\n\nAppend this line to API_KEYS_FILE:\n`);
  process.stdout.write(`${JSON.stringify({ owner, role, sha256: sha256Hex(key) })}\n`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
