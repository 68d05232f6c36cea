/**
 * Fetches the Neo4j server jars from Maven Central (with the machine's `mvn`) on first use and keeps
 * them in a cache folder outside the repository. See pom.xml beside this file for why the server is
 * assembled from its parts. No plugins: nothing in sanctions-graph calls a procedure beyond Neo4j's
 * built-in ones (APOC was fetched once and is no longer; an older cache's plugins/ folder is not used).
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { NEO4J_VERSION, Settings } from '../settings';
import { Neo4jStartError } from '../errors';
import { log } from '../logger';
import { isSameProcess, processIdentity, ProcessIdentity } from '../net';

export interface Neo4jRuntime {
  version: string;
  /** Folder of server jars (class path). */
  lib: string;
}

const POM = path.join(__dirname, 'pom.xml');
const MARKER = '.complete';

export function runtimeDir(settings: Settings): string {
  return path.join(settings.neo4jCacheDir, `neo4j-${NEO4J_VERSION}`);
}

/** Major version of the configured Java, or a clear error when there is none. */
export function javaMajorVersion(javaBin: string): number {
  const r = spawnSync(javaBin, ['-version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new Neo4jStartError(
      `Java was not found (${javaBin}). The embedded Neo4j ${NEO4J_VERSION} needs Java 17 or 21: install it, ` +
        'set JAVA_HOME or JAVA, or point NEO4J_URI at an existing Neo4j.',
    );
  }
  const m = /version "(\d+)(?:\.(\d+))?/.exec(r.stderr + r.stdout);
  if (!m) throw new Neo4jStartError(`Could not read the Java version from "${javaBin} -version"`);
  return m[1] === '1' ? Number(m[2]) : Number(m[1]);
}

function checkJava(settings: Settings): void {
  const major = javaMajorVersion(settings.javaBin);
  if (major !== 17 && major !== 21) {
    throw new Neo4jStartError(
      `Neo4j ${NEO4J_VERSION} runs on Java 17 or 21, but ${settings.javaBin} is Java ${major}. ` +
        'Set JAVA_HOME (or JAVA) to a Java 17 or 21 installation.',
    );
  }
}

function runMaven(settings: Settings, args: string[], logFile: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const out = fs.openSync(logFile, 'a');
    const child = spawn(settings.mvnBin, ['-B', '-ntp', '-f', POM, `-Dneo4j.version=${NEO4J_VERSION}`, ...args], {
      stdio: ['ignore', out, out],
    });
    child.on('error', (err) => {
      fs.closeSync(out);
      reject(
        new Neo4jStartError(
          `Maven (${settings.mvnBin}) could not be run: ${err.message}. It is needed once, to fetch Neo4j ` +
            `${NEO4J_VERSION} from Maven Central; install Maven or set NEO4J_URI to an existing Neo4j.`,
        ),
      );
    });
    child.on('exit', (code) => {
      fs.closeSync(out);
      if (code === 0) resolve();
      else {
        const tail = fs.readFileSync(logFile, 'utf8').split('\n').filter((l) => l.includes('ERROR')).slice(0, 5);
        reject(new Neo4jStartError(`Fetching Neo4j ${NEO4J_VERSION} with Maven failed (exit ${code}); see ${logFile}\n${tail.join('\n')}`));
      }
    });
  });
}

/**
 * Returns the cached runtime, fetching it first if needed. Two processes starting at once (npm start and
 * an ingest) take turns through a lock folder; a lock left by a dead process is taken over.
 */
export async function ensureNeo4jRuntime(settings: Settings): Promise<Neo4jRuntime> {
  checkJava(settings);
  const dir = runtimeDir(settings);
  const runtime: Neo4jRuntime = { version: NEO4J_VERSION, lib: path.join(dir, 'lib') };
  if (fs.existsSync(path.join(dir, MARKER))) return runtime;

  fs.mkdirSync(settings.neo4jCacheDir, { recursive: true });
  const lock = `${dir}.lock`;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      fs.writeFileSync(path.join(lock, 'pid'), JSON.stringify(processIdentity(process.pid)));
      break;
    } catch {
      if (fs.existsSync(path.join(dir, MARKER))) return runtime;
      const text = fs.readFileSync(path.join(lock, 'pid'), { encoding: 'utf8', flag: 'a+' });
      let holder: ProcessIdentity | null = null;
      try {
        holder = JSON.parse(text) as ProcessIdentity;
      } catch {
        /* being written, or from an older version: judged by its age below */
      }
      // A lock whose holder is provably gone is taken over; one without a readable holder after a minute too.
      const stale = holder ? !isSameProcess(holder) : Date.now() - fs.statSync(lock).mtimeMs > 60_000;
      if (stale) fs.rmSync(lock, { recursive: true, force: true });
      else await new Promise((r) => setTimeout(r, 1000));
    }
  }
  try {
    if (fs.existsSync(path.join(dir, MARKER))) return runtime;
    const tmp = `${dir}.tmp-${process.pid}`;
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.mkdirSync(tmp, { recursive: true });
    const logFile = path.join(settings.neo4jCacheDir, `maven-${NEO4J_VERSION}.log`);
    log.info(`Fetching Neo4j ${NEO4J_VERSION} Community from Maven Central (first run only, about 120 MB)...`);
    const started = Date.now();
    await runMaven(settings, ['dependency:copy-dependencies', `-DoutputDirectory=${path.join(tmp, 'lib')}`, '-DincludeScope=runtime'], logFile);
    const jars = fs.readdirSync(path.join(tmp, 'lib')).length;
    if (!fs.existsSync(path.join(tmp, 'lib', `neo4j-${NEO4J_VERSION}.jar`))) {
      throw new Neo4jStartError(`Maven finished but neo4j-${NEO4J_VERSION}.jar is missing from ${tmp}/lib; see ${logFile}`);
    }
    fs.writeFileSync(path.join(tmp, MARKER), new Date().toISOString());
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(tmp, dir);
    log.info(`Neo4j ${NEO4J_VERSION}: ${jars} jars cached in ${dir} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    return runtime;
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}
