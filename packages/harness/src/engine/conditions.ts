// Reading status conditions the way kstatus does for Flux objects: the condition must be True and
// the status must describe the current generation (a Ready from before the last change is stale).
export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

interface Observed {
  metadata?: { generation?: number };
  status?: { observedGeneration?: number; conditions?: Condition[] };
}

export function conditionState(o: Observed | undefined, type: string): 'missing' | 'stale' | 'unmet' | 'met' {
  if (!o) return 'missing';
  const c = o.status?.conditions?.find((x) => x.type === type);
  const observed = o.status?.observedGeneration;
  if (observed !== undefined && o.metadata?.generation !== undefined && observed < o.metadata.generation)
    return 'stale';
  return c?.status === 'True' ? 'met' : 'unmet';
}

/** "Ready=False (HealthCheckFailed): message", or why there is no such condition yet. */
export function describeCondition(o: Observed | undefined, type: string): string {
  if (!o) return 'the object does not exist';
  const c = o.status?.conditions?.find((x) => x.type === type);
  if (!c) return `no ${type} condition yet`;
  const stale = conditionState(o, type) === 'stale' ? ' (for an older generation)' : '';
  return `${type}=${c.status}${c.reason ? ` (${c.reason})` : ''}${c.message ? `: ${c.message}` : ''}${stale}`;
}
