/**
 * The spool of a load (ingest/spool.ts): where it lives (INGEST_SPOOL_DIR, a private folder per load),
 * which left-over folders a later load removes (only those of loads certainly dead), and its files
 * (every byte written, every descriptor closed). Processes are real child processes: one killed with
 * SIGKILL leaves its folder as a killed load would.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { REPO_ROOT } from '../../server/core/settings';
import { leftoverSpools, LineWriter, readLines, Spool } from '../../ingest/spool';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-spool-test-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
let n = 0;
/** A fresh spool root for one test. */
const freshRoot = () => path.join(tmp, `root-${++n}`);

/** A TypeScript program for a child process (node --import tsx), in a file readable by any user. */
function script(code: string): string {
  const file = path.join(tmp, `child-${++n}.ts`);
  fs.writeFileSync(file, `import { LineWriter, Spool } from ${JSON.stringify(path.join(REPO_ROOT, 'ingest', 'spool'))};\nvoid LineWriter; void Spool;\n${code}\n`);
  fs.chmodSync(tmp, 0o755);
  fs.chmodSync(file, 0o644);
  return file;
}

/** A child process that makes a Spool under `root`, prints its folder, then runs `then` (code). */
function child(root: string, then: string): ReturnType<typeof spawn> {
  const file = script(`const s = new Spool(4096, ${JSON.stringify(root)});\nprocess.stdout.write(s.dir + '\\n');\n${then}`);
  return spawn(process.execPath, ['--import', 'tsx', file], { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
}
const firstLine = (p: ReturnType<typeof spawn>) =>
  new Promise<string>((resolve, reject) => {
    let out = '';
    let err = '';
    p.stderr!.on('data', (d) => (err += d));
    p.stdout!.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve(out.split('\n')[0]);
    });
    p.on('exit', () => (out.includes('\n') ? undefined : reject(new Error(`child ended without a folder: ${err}`))));
  });
const exited = (p: ReturnType<typeof spawn>) => new Promise<void>((r) => (p.exitCode !== null || p.signalCode ? r() : p.on('exit', () => r())));

test('a load spools into a private folder (0700) of its own under INGEST_SPOOL_DIR, removed with the load', () => {
  const root = freshRoot();
  const saved = process.env.INGEST_SPOOL_DIR;
  process.env.INGEST_SPOOL_DIR = root;
  try {
    const a = new Spool(4096);
    const b = new Spool(4096);
    expect(path.dirname(a.dir)).toBe(root);
    expect(path.dirname(b.dir)).toBe(root);
    expect(a.dir).not.toBe(b.dir);
    expect(fs.statSync(a.dir).mode & 0o777).toBe(0o700);
    expect(fs.statSync(root).mode & 0o777).toBe(0o700); // made by the load: private too
    expect(fs.existsSync(a.file('parties'))).toBe(true);
    a.remove();
    b.remove();
    expect(fs.readdirSync(root)).toEqual([]);
  } finally {
    if (saved === undefined) delete process.env.INGEST_SPOOL_DIR;
    else process.env.INGEST_SPOOL_DIR = saved;
  }
});

test('left-overs: the folders of loads certainly dead, not those of live loads, of a reused pid, or of another pid namespace or host', async () => {
  const root = freshRoot();
  // A load still running (waits for its stdin to close), and this process's own load.
  const running = child(root, "process.stdin.resume(); process.stdin.on('end', () => process.exit(0));");
  const runningDir = await firstLine(running);
  const mine = new Spool(4096, root);
  // A load killed outright (SIGKILL: no chance to remove its folder).
  const killed = child(root, "process.kill(process.pid, 'SIGKILL');");
  const killedDir = await firstLine(killed);
  await exited(killed);
  try {
    const tag = path.basename(runningDir).slice('load-'.length).split('-')[0].split('.');
    const [pid, start, pidns, host] = tag;
    const made = (name: string) => {
      fs.mkdirSync(path.join(root, name));
      return path.join(root, name);
    };
    // The running child's pid, but another start time: a later process that got the pid of a dead load.
    const reused = made(`load-${pid}.${'0'.repeat(10)}.${pidns}.${host}-reuse1`);
    // The killed child's pid in another pid namespace (a container sharing the folder): not ours to judge.
    const killedPid = path.basename(killedDir).slice('load-'.length).split('.')[0];
    const otherNs = made(`load-${killedPid}.${start}.1.${host}-otherns`);
    const otherHost = made(`load-${killedPid}.${start}.${pidns}.${'f'.repeat(10)}-otherhost`);
    const strange = made('load-not-a-load');

    expect(leftoverSpools(root).sort()).toEqual([killedDir, reused].sort());
    // The next load removes them, and only them.
    const next = new Spool(4096, root);
    expect(fs.readdirSync(root).map((d) => path.join(root, d)).sort()).toEqual([runningDir, mine.dir, next.dir, otherNs, otherHost, strange].sort());
    next.remove();
  } finally {
    mine.remove();
    running.stdin!.end();
    await exited(running);
  }
});

test("a left-over that cannot be removed is reported and left; the load still starts", () => {
  const root = freshRoot();
  fs.mkdirSync(root, { mode: 0o700 });
  // A dead load's folder (pid 2^22+1 is above any pid_max: no process has it) that the loading process
  // may not delete. Removal fails as it does for a folder of another user (EACCES): the child's fs.rmSync
  // refuses that one path. (Permissions alone cannot show it here: CI runs as root, which may delete
  // anything, and another user may not read a checkout under a private temporary folder.)
  const probe = new Spool(4096, root); // this host's and namespace's tag
  const [, start, pidns, host] = path.basename(probe.dir).slice('load-'.length).split('-')[0].split('.');
  probe.remove();
  const stuck = path.join(root, `load-4194305.${start}.${pidns}.${host}-stuck1`);
  fs.mkdirSync(stuck);
  fs.writeFileSync(path.join(stuck, 'parties.jsonl'), '{}\n');
  const file = script(`import fs from 'node:fs';
    const rmSync = fs.rmSync;
    fs.rmSync = ((p: fs.PathLike, o?: fs.RmOptions) => {
      if (String(p) === ${JSON.stringify(stuck)}) throw Object.assign(new Error(\`EACCES: permission denied, rmdir '\${String(p)}'\`), { code: 'EACCES' });
      return rmSync(p, o);
    }) as typeof fs.rmSync;
    const s = new Spool(4096, ${JSON.stringify(root)}); console.log('spooled in ' + s.dir); s.remove();`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', file], { cwd: REPO_ROOT, encoding: 'utf8' });
  expect({ status: r.status, stderr: r.status === 0 ? '' : r.stderr }).toEqual({ status: 0, stderr: '' });
  expect(r.stdout).toMatch(/spooled in /);
  expect(r.stdout + r.stderr).toContain(`Could not remove the spool folder of a load that did not end (${stuck})`);
  expect(fs.existsSync(path.join(stuck, 'parties.jsonl'))).toBe(true);
});

test('every byte of a line is written, or the write fails: a short write (file size limit) is not a silent truncation', () => {
  const file = path.join(tmp, 'short.jsonl');
  const code = script(`const w = new LineWriter(${JSON.stringify(file)});
    w.line('x'.repeat(3000));
    try { w.close(); console.log('written'); } catch (e) { console.log('failed: ' + (e as NodeJS.ErrnoException).code); }`);
  // ulimit -f 1: the file may grow to 1,024 bytes; the first write(2) of 3,001 bytes writes 1,024 of them
  // (a short write), the next fails with EFBIG (Node ignores SIGXFSZ).
  const r = spawnSync('bash', ['-c', 'ulimit -f 1 && exec "$0" --import tsx "$1"', process.execPath, code], { cwd: REPO_ROOT, encoding: 'utf8' });
  expect(r.stdout.trim()).toBe('failed: EFBIG');
  // Without the limit, the same line is written whole.
  const w = new LineWriter(file);
  w.line('x'.repeat(3000));
  w.close();
  expect(fs.statSync(file).size).toBe(3001);
});

test('lines of any size and script come back as written, across the writer buffer’s ends', async () => {
  // The writer encodes lines into a buffer of 1 MB: these fill it many times over, end at every kind
  // of character at its edge, and include lines longer than the buffer (written past it) between short
  // ones. Lone surrogates are written as U+FFFD, as Buffer.from(s, 'utf8') and fs.writeFileSync write them.
  const pieces = ['a', 'é', 'ж', 'ب', '中', '😀', '\ud800', 'x\u0000y', '"\\'];
  const lines: string[] = [];
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  for (let i = 0; i < 40_000; i++) {
    const n = i % 997 === 0 ? 400_000 + (next() % 1000) : next() % 200;
    let s = '';
    while (s.length < n) s += pieces[next() % pieces.length].repeat(1 + (next() % 50));
    lines.push(s);
    // Lines of three bytes a unit (the most), short and long, one filling the buffer exactly with its newline.
    if (i % 5 === 0) lines.push('中'.repeat(next() % 300));
    if (i % 9_973 === 0) lines.push(...[349_524, 349_525, 349_526, 1].map((k) => '中'.repeat(k)));
  }
  const file = path.join(tmp, 'sizes.jsonl');
  const w = new LineWriter(file);
  for (const l of lines) w.line(l);
  w.close();
  const expected = Buffer.from(lines.map((l) => `${l}\n`).join(''), 'utf8');
  const got = fs.readFileSync(file);
  expect(got.length).toBe(expected.length);
  expect(got.equals(expected)).toBe(true);
});

/** Until no descriptor of this process is open on `file` (a stream closes its descriptor asynchronously), or 200 checks. */
async function closedOn(file: string): Promise<number> {
  for (let i = 0; i < 200 && openOn(file) > 0; i++) await new Promise((r) => setTimeout(r, 10));
  return openOn(file);
}

/** Descriptors of this process open on `file`. */
function openOn(file: string): number {
  let count = 0;
  for (const fd of fs.readdirSync('/proc/self/fd')) {
    try {
      if (fs.readlinkSync(`/proc/self/fd/${fd}`).startsWith(file)) count++;
    } catch {
      /* closed meanwhile */
    }
  }
  return count;
}

test('readLines closes its file when the reader stops early or throws, not only at the end', async () => {
  const file = path.join(tmp, 'lines.jsonl');
  fs.writeFileSync(file, Array.from({ length: 50_000 }, (_, i) => `{"i":${i}}`).join('\n') + '\n');
  for await (const line of readLines(file)) {
    expect(line).toBe('{"i":0}');
    break;
  }
  expect(await closedOn(file)).toBe(0);
  await expect(
    (async () => {
      for await (const line of readLines(file)) if (JSON.parse(line).i === 3) throw new Error('bad record');
    })(),
  ).rejects.toThrow('bad record');
  expect(await closedOn(file)).toBe(0);
  let count = 0;
  for await (const _ of readLines(file)) count++;
  expect(count).toBe(50_000);
  expect(await closedOn(file)).toBe(0);
});

/** What node:readline gives for a file (the reader readLines replaced), empty lines left out. */
async function readlineLines(file: string): Promise<string[]> {
  const out: string[] = [];
  const input = fs.createReadStream(file, { encoding: 'utf8' });
  for await (const line of readline.createInterface({ input, crlfDelay: Infinity })) if (line) out.push(line);
  return out;
}

test('readLines gives the lines node:readline gives: across its reads, past its buffer, every script, CR and LF', async () => {
  const file = path.join(tmp, 'lines-mixed.txt');
  const pieces = ['a', 'é', '中', '😀', 'ж', ' ', '"', '\\', 'x'.repeat(70)];
  const lines: string[] = [];
  let rnd = 7;
  const next = () => (rnd = (rnd * 1103515245 + 12345) % 2 ** 31);
  // About 3 MB of lines of many lengths, so that lines and multi-byte characters straddle each 1 MB read.
  for (let size = 0; size < 3 << 20; ) {
    let line = '';
    for (let n = next() % 200; n > 0; n--) line += pieces[next() % pieces.length];
    lines.push(line);
    size += Buffer.byteLength(line) + 1;
  }
  // One line longer than two reads, then line ends of every kind, empty lines and no final line end.
  const text = lines.join('\n') + '\n' + '長'.repeat(900_000) + '\r\nCRLF line\r\n\r\nlone\rCR\n\n\nlast, unended';
  fs.writeFileSync(file, text);
  const got: string[] = [];
  for await (const line of readLines(file)) got.push(line);
  const want = await readlineLines(file);
  expect(got.length).toBe(want.length);
  expect(got).toEqual(want);
  expect(got.slice(-5)).toEqual(['長'.repeat(900_000), 'CRLF line', 'lone', 'CR', 'last, unended']);
  for (const f of ['', '\n\n', 'one']) {
    fs.writeFileSync(file, f);
    const all: string[] = [];
    for await (const line of readLines(file)) all.push(line);
    expect(all).toEqual(await readlineLines(file));
  }
});

test('the folder of a load whose process is a zombie (ended, not yet reaped by its parent) is a left-over', async () => {
  const root = freshRoot();
  // The load's parent is `sleep`, which never reaps its children: the load, killed, stays a zombie
  // (its pid exists; it is no process that could still use the folder).
  const file = script(`const s = new Spool(4096, ${JSON.stringify(root)});\nprocess.stdout.write(s.dir + '\\n');\nprocess.kill(process.pid, 'SIGKILL');`);
  const parent = spawn('sh', ['-c', `${JSON.stringify(process.execPath)} --import tsx ${JSON.stringify(file)} & exec sleep 600`], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const dir = await firstLine(parent);
    const pid = Number(path.basename(dir).slice('load-'.length).split('.')[0]);
    const state = () => {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2)[0];
    };
    while (state() !== 'Z') await new Promise((r) => setTimeout(r, 50));
    expect(leftoverSpools(root)).toEqual([dir]);
    const next = new Spool(4096, root);
    expect(fs.readdirSync(root).map((d) => path.join(root, d))).toEqual([next.dir]);
    next.remove();
  } finally {
    parent.kill('SIGKILL');
    await exited(parent);
  }
});
