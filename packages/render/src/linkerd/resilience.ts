import type { App } from '@meshproof/spec';
import { duration } from '../units.ts';

// Linkerd 2.20 configures retries only through annotations on a Service or on a route whose parent
// is a Service (https://linkerd.io/2/reference/retries); the route's annotations override the
// Service's. Timeouts use the Gateway API `timeouts.request` field, which Linkerd reads as well.

/** Spec retry conditions Linkerd can express; connect-failure/reset have no HTTP status to match. */
const RETRY_ON: Record<string, string | undefined> = {
  '5xx': '5xx',
  'gateway-error': 'gateway-error',
  'connect-failure': undefined,
  reset: undefined,
};

/** retry.linkerd.io/* annotations for the app's retry policy (empty when it has none). */
export function retryAnnotations(app: App): Record<string, string> {
  const retries = app.resilience.retries;
  if (!retries) return {};
  const codes = [
    ...new Set(retries.on.map((on) => RETRY_ON[on]).filter((c): c is string => c !== undefined)),
  ];
  // Without a status condition Linkerd would retry nothing; 5xx is the spec's own default.
  return {
    'retry.linkerd.io/http': (codes.length > 0 ? codes : ['5xx']).join(','),
    'retry.linkerd.io/limit': String(retries.attempts),
    ...(retries.perTryTimeoutMs ? { 'retry.linkerd.io/timeout': duration(retries.perTryTimeoutMs) } : {}),
  };
}

/** Timeout annotation for a route Linkerd reads from a Service (Flagger-generated apex Services). */
export function timeoutAnnotations(app: App): Record<string, string> {
  const ms = app.resilience.timeoutMs;
  return ms === undefined ? {} : { 'timeout.linkerd.io/request': duration(ms) };
}
