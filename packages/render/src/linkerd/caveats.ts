import type { App, Platform } from '@meshproof/spec';
import { type Caveat, resilienceFields } from '../caveats.ts';
import type { PermissiveMtls } from '../mesh.ts';

export const linkerdCaveats = (app: App): Caveat[] =>
  resilienceFields(
    app,
    ['circuitBreaker', 'outlierDetection'],
    'not rendered for Linkerd yet (its consecutive-failure accrual annotations are the closest match)',
  );

/**
 * Linkerd's permissive counterpart is the default inbound policy all-unauthenticated; with default
 * deny every app port has a Server admitting named identities only, so PERMISSIVE changes nothing.
 */
export const linkerdPermissive = (platform: Platform): PermissiveMtls =>
  platform.security.defaultDeny
    ? {
        applied: false,
        meaning:
          "with security.defaultDeny every app port has a Server that admits only named mTLS identities; Linkerd's permissive counterpart (default inbound policy all-unauthenticated) is used only with defaultDeny: false",
      }
    : {
        applied: true,
        meaning:
          'the default inbound policy is all-unauthenticated: meshed pods accept plaintext from any client, meshed or not',
      };
