// The frontend's endpoints: the page, its script and the fan-out API.
import { sendText } from '@meshproof-app/shared/http';
import type { Counter } from '@meshproof-app/shared/metrics';
import type { Handler, Route, Router } from '@meshproof-app/shared/service';
import type { BackendClient } from './backend-client.ts';
import { fanoutHandler } from './fanout.ts';
import { PAGE_HTML, PAGE_SCRIPT } from './page.ts';

const CSP = "default-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'";

const staticFile =
  (contentType: string, body: string): Handler =>
  (_req, res) => {
    res.setHeader('content-security-policy', CSP);
    res.setHeader('cache-control', 'no-cache');
    sendText(res, 200, contentType, body);
  };

export function frontendRouter(client: BackendClient, calls: Counter): Router {
  const routes = new Map<string, Route>([
    ['/', { template: '/', handler: staticFile('text/html; charset=utf-8', PAGE_HTML) }],
    ['/app.js', { template: '/app.js', handler: staticFile('text/javascript; charset=utf-8', PAGE_SCRIPT) }],
    // Browsers ask for it on every page load; answer instead of logging a 404 each time.
    ['/favicon.ico', { template: '/favicon.ico', handler: (_req, res) => void res.writeHead(204).end() }],
    ['/api/fanout', { template: '/api/fanout', handler: fanoutHandler(client, calls) }],
  ]);
  return (pathname) => {
    const route = routes.get(pathname);
    return route && { route, param: '' };
  };
}
