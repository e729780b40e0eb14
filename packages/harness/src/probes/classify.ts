// Host side: what one attempt's evidence means (an outcome class), and whether that is what the probe
// expected on this mesh. Pure functions; the mesh's facts come from its render folder (ZeroTrustFacts).
import type { DenyClass, L7DenySignature, ZeroTrustFacts } from '@meshproof/render';
import type { RequestEvidence } from './evidence.ts';

export type Outcome = 'ALLOWED' | DenyClass | 'AMBIGUOUS_5XX' | 'ERROR';

export interface Classification {
  outcome: Outcome;
  /** The L7 deny signature recognised (DENIED_L7 only). */
  signature?: string;
  /** One line an engineer can read: why this outcome. */
  reason: string;
}

/**
 * The demo apps put this header on every answer (apps/shared/src/service.ts): whatever the status,
 * the request reached the app, so no policy stopped it.
 */
export const APP_MARKER = 'x-app-version';

const matches = (e: RequestEvidence, s: L7DenySignature) =>
  e.status === s.status && ('empty' in s.body ? e.bodyBytes === 0 : e.body.startsWith(s.body.startsWith));

// After an accepted connection these mean the peer closed (FIN: "socket hang up") or reset it (RST).
const CUT_OFF = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

/** Classifies one attempt, recognising every signature in `signatures` (all meshes' by default). */
export function classify(e: RequestEvidence, signatures: readonly L7DenySignature[]): Classification {
  if (e.status !== undefined) {
    if (e.headers[APP_MARKER] !== undefined) {
      return { outcome: 'ALLOWED', reason: `the app answered ${e.status} (${APP_MARKER} present)` };
    }
    if (e.status >= 200 && e.status < 300) return { outcome: 'ALLOWED', reason: `HTTP ${e.status}` };
    const signature = signatures.find((s) => matches(e, s));
    if (signature) {
      return {
        outcome: 'DENIED_L7',
        signature: signature.id,
        reason: `HTTP ${e.status} from a proxy (${signature.id}${'empty' in signature.body ? ', empty body' : `: "${signature.body.startsWith}"`})`,
      };
    }
    if (e.status >= 500) {
      return {
        outcome: 'AMBIGUOUS_5XX',
        reason: `HTTP ${e.status} without the app's header: a proxy could not reach the target (denied or down)`,
      };
    }
    return {
      outcome: 'ERROR',
      reason: `HTTP ${e.status} is neither the app's answer nor a known refusal (body: ${JSON.stringify(e.body.slice(0, 60))})`,
    };
  }
  const code = e.error?.code ?? 'NONE';
  if (code === 'ETIMEDOUT') {
    return {
      outcome: 'DENIED_DROP',
      reason: `no answer within the deadline (${e.connected ? 'connected, waiting for the response' : 'TCP connect never completed'})`,
    };
  }
  // A refused SYN is ECONNREFUSED; ECONNRESET means the peer accepted, then reset, sometimes so fast
  // that Node reports it from connect() itself ("connect ECONNRESET"), before any 'connect' event.
  if (code === 'ECONNRESET' || (e.connected && CUT_OFF.has(code))) {
    return {
      outcome: 'DENIED_RESET',
      reason: `connection accepted, then closed without an answer (${code}: ${e.error?.message})`,
    };
  }
  const why: Record<string, string> = {
    ECONNREFUSED: 'connection refused: nothing listens there',
    ENOTFOUND: 'the name does not resolve',
    EAI_AGAIN: 'DNS lookup failed (temporary)',
  };
  return {
    outcome: 'ERROR',
    reason: `${why[code] ?? 'request failed'} (${code}: ${e.error?.message ?? 'no detail'})`,
  };
}

export interface Verdict {
  pass: boolean;
  reason: string;
}

/**
 * Whether an outcome is what the probe expects on this mesh. A deny must look like one of the mesh's
 * own refusals; a timeout counts only once an allow probe has reached the same target (otherwise it
 * may just be a dead target); a 5xx never proves anything.
 */
export function judge(
  expect: 'allow' | 'deny',
  c: Classification,
  denials: ZeroTrustFacts['denials'],
  targetProvenUp: boolean,
): Verdict {
  if (expect === 'allow') {
    return c.outcome === 'ALLOWED'
      ? { pass: true, reason: c.reason }
      : { pass: false, reason: `expected the request through, got ${c.outcome}: ${c.reason}` };
  }
  switch (c.outcome) {
    case 'ALLOWED':
      return { pass: false, reason: `expected a refusal, but ${c.reason}` };
    case 'AMBIGUOUS_5XX':
    case 'ERROR':
      return { pass: false, reason: `expected a refusal, got ${c.outcome}: ${c.reason}` };
    default:
      break;
  }
  if (!denials.classes.includes(c.outcome)) {
    return {
      pass: false,
      reason: `${c.outcome} is not how this mesh refuses (it produces ${denials.classes.join(', ')}): ${c.reason}`,
    };
  }
  if (c.outcome === 'DENIED_L7' && !denials.l7.some((s) => s.id === c.signature)) {
    return {
      pass: false,
      reason: `refused by ${c.signature}, which is not this mesh's proxy (expected ${denials.l7.map((s) => s.id).join(', ')})`,
    };
  }
  if (c.outcome === 'DENIED_DROP' && !targetProvenUp) {
    return {
      pass: false,
      reason: `a timeout proves nothing before an allow probe has reached this target: ${c.reason}`,
    };
  }
  return { pass: true, reason: c.reason };
}
