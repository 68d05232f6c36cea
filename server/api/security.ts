/**
 * HTTP hardening of the app: security headers (helmet, with a Content-Security-Policy the explorer and
 * the bundled GraphiQL run under), a Host allow-list against DNS rebinding, CORS only for configured
 * origins, and the refusal of cross-origin form posts to /api/export and of batched GraphQL requests.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';
import { BadInputError, ForbiddenError, HostNotAllowedError } from '../core/errors';

/** Whether a HOST setting is a loopback interface (then anonymous reads are allowed by default). */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h === '::ffff:127.0.0.1';
}

/**
 * Security headers. The explorer and GraphiQL load scripts, styles, fonts and the layout worker from
 * this server only; GraphiQL's page has one inline <style> and its editor (CodeMirror) writes <style>
 * elements, hence 'unsafe-inline' for styles (never for scripts). Icons are data: URIs; exported images
 * are blob:/data: URLs. No framing by anyone (frame-ancestors 'none', X-Frame-Options DENY). HSTS and
 * upgrade-insecure-requests are left to the TLS-terminating reverse proxy: set here, they would break a
 * plain-http install on a LAN address.
 */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        workerSrc: ["'self'", 'blob:'],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    strictTransportSecurity: false,
    xFrameOptions: { action: 'deny' },
    // same-origin: our own pages keep their Referer and Origin (the export form's POST), other sites get none.
    referrerPolicy: { policy: 'same-origin' },
  });
}

/** The host name of a Host header, lower-cased, without the port ("[::1]:4000" -> "[::1]"). */
export function hostNameOf(hostHeader: string | undefined): string | null {
  if (!hostHeader) return null;
  const m = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::\d+)?$/i.exec(hostHeader.trim());
  return m ? m[1].toLowerCase() : null;
}

/**
 * Answers only requests whose Host header names this server (ALLOWED_HOSTS): a page on another site
 * whose DNS name an attacker re-points at 127.0.0.1 (DNS rebinding) sends its own name and is refused.
 * /healthz is exempt: probes address the server by IP, and it answers nothing private.
 */
export function hostAllowList(allowed: string[]): RequestHandler {
  const any = allowed.includes('*');
  const names = new Set(allowed.map((h) => h.toLowerCase()));
  return (req: Request, _res: Response, next: NextFunction) => {
    if (any || req.path === '/healthz') return next();
    const name = hostNameOf(req.headers.host);
    if (name && names.has(name)) return next();
    next(new HostNotAllowedError(`This server does not answer for the host ${JSON.stringify(req.headers.host ?? '')}; its operator can add it to ALLOWED_HOSTS`));
  };
}

/**
 * CORS for the configured origins only (CORS_ORIGINS): their pages may call /graphql and /api/export
 * with an API key. Without it no Access-Control-* header is sent, so browsers keep other sites out.
 */
export function cors(origins: string[]): RequestHandler {
  const allowed = new Set(origins);
  return (req: Request, res: Response, next: NextFunction) => {
    const origin = req.headers.origin;
    if (!origin || !allowed.has(origin)) return next();
    res.vary('Origin');
    res.setHeader('access-control-allow-origin', origin);
    if (req.method === 'OPTIONS') {
      res.setHeader('access-control-allow-methods', 'GET, POST');
      res.setHeader('access-control-allow-headers', 'content-type, x-api-key, authorization, apollo-require-preflight');
      res.setHeader('access-control-max-age', '600');
      res.status(204).end();
      return;
    }
    next();
  };
}

/**
 * Refuses a request a page of another site made the browser send (a form posted to /api/export):
 * the browser says so in Sec-Fetch-Site, or, in older browsers, an Origin that is not this server's.
 * Requests without either (curl, scripts) are not from a browser page and pass.
 */
export function sameOriginOnly(corsOrigins: string[]): RequestHandler {
  const allowed = new Set(corsOrigins);
  return (req: Request, _res: Response, next: NextFunction) => {
    const origin = req.headers.origin;
    if (origin && allowed.has(origin)) return next();
    const site = req.headers['sec-fetch-site'];
    // A browser's own word (Sec-Fetch-Site cannot be set by a page) decides when it is there: Origin may be
    // "null" on a same-origin form POST (Fetch spec: a navigation's origin serialises as null under some
    // referrer policies), which must not read as another site.
    if (site !== undefined) {
      if (site === 'same-origin' || site === 'none') return next();
      return next(new ForbiddenError(`${req.method} ${req.path} from a page of another site is refused`));
    }
    // Without it (older browsers, scripts), the Origin header, when sent, must name this host.
    let crossOrigin = false;
    if (origin !== undefined) {
      try {
        crossOrigin = new URL(origin).host.toLowerCase() !== (req.headers.host ?? '').toLowerCase();
      } catch {
        crossOrigin = true; // "null" (sandboxed frames, file: pages) or garbage
      }
    }
    if (crossOrigin) return next(new ForbiddenError(`${req.method} ${req.path} from a page of another site is refused`));
    next();
  };
}

/** One operation per request: a JSON array (a batch) multiplies one request's work past every limit. */
export function refuseBatches(req: Request, _res: Response, next: NextFunction): void {
  if (Array.isArray(req.body)) return next(new BadInputError('Batched requests (a JSON array) are not accepted: send one operation per request'));
  next();
}
