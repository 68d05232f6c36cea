/**
 * Buffered streaming output: records are collected into pieces of about 1 MB and written with
 * back-pressure, so a x64 run holds one piece per file in memory, never the output.
 */
import fs from 'node:fs';
import { once } from 'node:events';

export class OutFile {
  private readonly stream: fs.WriteStream;
  private buffer: string[] = [];
  private pending = 0;
  bytes = 0;
  constructor(readonly path: string) {
    this.stream = fs.createWriteStream(path);
  }
  /** Resolves at once unless the piece was full and the disk is behind. */
  async write(s: string): Promise<void> {
    this.buffer.push(s);
    this.pending += s.length;
    if (this.pending >= 1 << 20) await this.flush();
  }
  private async flush(): Promise<void> {
    const chunk = Buffer.from(this.buffer.join(''), 'utf8');
    this.buffer = [];
    this.pending = 0;
    this.bytes += chunk.length;
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }
  async close(): Promise<number> {
    await this.flush();
    await new Promise<void>((resolve, reject) => this.stream.end((err?: Error | null) => (err ? reject(err) : resolve())));
    return this.bytes;
  }
}
