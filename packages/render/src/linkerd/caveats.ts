import type { App } from '@meshproof/spec';
import { type Caveat, resilienceFields } from '../caveats.ts';

export const linkerdCaveats = (app: App): Caveat[] =>
  resilienceFields(
    app,
    ['circuitBreaker', 'outlierDetection'],
    'not rendered for Linkerd yet (its consecutive-failure accrual annotations are the closest match)',
  );
