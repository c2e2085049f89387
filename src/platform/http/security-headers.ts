/**
 * Standard security headers through helmet, and no caching of answers that may carry personal data.
 *
 * - helmet's defaults (nosniff, HSTS, Referrer-Policy no-referrer, frame and cross-origin policies…) and a
 *   Content-Security-Policy that forbids framing (`frame-ancestors 'none'`). The API answers JSON; the only
 *   HTML is the Swagger UI at /docs, whose scripts and styles are files served by this process (its
 *   inline `style` attributes need `'unsafe-inline'` for styles, as helmet's default allows). No
 *   `upgrade-insecure-requests`: the embedded runtime is also reached over plain http on a LAN.
 * - `X-Powered-By` is removed (helmet's hidePoweredBy, and Express's own setting).
 * - `Cache-Control: no-store` on every answer but the static /docs assets: nearly every answer is about a
 *   family or an account, and none is meant to be cached by a browser or a proxy.
 */
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';

export function securityHeaders(): ReturnType<typeof helmet> {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        'frame-ancestors': ["'none'"],
        'upgrade-insecure-requests': null,
      },
    },
  });
}

export function noStore(): (req: Request, res: Response, next: NextFunction) => void {
  return (req, res, next) => {
    if (!/^\/docs\/.+\.(?:js|css|png|html|map)$/.test(req.path)) res.setHeader('Cache-Control', 'no-store');
    next();
  };
}
