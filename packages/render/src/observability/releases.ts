import type { Platform } from '@meshproof/spec';
import type { K8sObject } from '../model.ts';

/** Observability HelmReleases per the spec's toggles. */
export function observabilityObjects(_platform: Platform): K8sObject[] {
  return [];
}
