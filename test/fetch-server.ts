/**
 * A local HTTP server standing in for the publishers in tests of `ingest --fetch` (this machine has no
 * internet). Each path serves a file or a body, and can misbehave the ways real downloads do: an HTTP
 * error, a connection dropped half-way after announcing Content-Length, a stall, a redirect, failures
 * that clear after a few tries.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Route {
  /** Serve this file's bytes ... */
  file?: string;
  /** ... or these. */
  body?: Buffer | string;
  /** Answer with this status (and a short text body) instead. */
  status?: number;
  /** Answer `status` (default 503) this many times, then serve normally. */
  failTimes?: number;
  lastModified?: string;
  /** Send Content-Length, then this many bytes, then drop the connection. */
  dropAfter?: number;
  /** Send the headers and this many bytes, then nothing more (until the server closes). */
  stallAfter?: number;
  /** No Content-Length (chunked transfer encoding). */
  chunked?: boolean;
  /** Redirect (302) to this path or URL. */
  redirect?: string;
  /** Send data without end (chunked, 64 KiB at a time), until the client goes away. */
  endless?: boolean;
}

export interface TestServer {
  /** Base URL, ending with '/'. */
  url: string;
  /** Requests per path. */
  hits: Map<string, number>;
  routes: Record<string, Route>;
  close(): Promise<void>;
}

export async function startServer(routes: Record<string, Route>): Promise<TestServer> {
  const hits = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const p = new URL(req.url ?? '/', 'http://x').pathname;
    const n = (hits.get(p) ?? 0) + 1;
    hits.set(p, n);
    const route = routes[p];
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    if (route.redirect) {
      res.writeHead(302, { location: route.redirect }).end();
      return;
    }
    if (route.status || (route.failTimes && n <= route.failTimes)) {
      const status = route.status ?? 503;
      res.writeHead(status, { 'content-type': 'text/plain' }).end(`status ${status}`);
      return;
    }
    if (route.endless) {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const chunk = Buffer.alloc(64 * 1024, 'x');
      const more = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', more);
      };
      res.on('close', () => res.removeAllListeners('drain'));
      more();
      return;
    }
    const body = route.file ? fs.readFileSync(route.file) : Buffer.from(route.body ?? '');
    const headers: http.OutgoingHttpHeaders = { 'content-type': 'application/octet-stream' };
    if (route.lastModified) headers['last-modified'] = route.lastModified;
    if (!route.chunked) headers['content-length'] = body.length;
    res.writeHead(200, headers);
    if (route.dropAfter !== undefined) {
      res.write(body.subarray(0, route.dropAfter), () => res.socket?.destroy());
      return;
    }
    if (route.stallAfter !== undefined) {
      res.write(body.subarray(0, route.stallAfter));
      return;
    }
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    hits,
    routes,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
