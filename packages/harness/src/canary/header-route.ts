// Scenario 5, the verdict: a client sent N requests carrying a header route's match and N without
// it, and read the version that answered each (the demo apps' x-app-version). Pass: every request
// with the header reached the matched version; every request without it reached a version the
// spec gives traffic (weight > 0), so a weight-0 version behind a header route stays dark.
import type { RequestEvidence } from '../probes/evidence.ts';

export interface HeaderRouteExpectation {
  /** The header the route matches, e.g. { 'x-version': 'v2' }. */
  header: Record<string, string>;
  /** The version the route sends matching requests to. */
  matched: string;
  /** Versions the spec gives traffic (weight > 0): the only ones a request without the header may reach. */
  weighted: string[];
}

/** Answers per version; requests that got no version (an error, a timeout, a proxy's own answer) under `none`. */
export type VersionCounts = Record<string, number>;

export interface HeaderRouteVerdict {
  passed: boolean;
  withHeader: VersionCounts;
  withoutHeader: VersionCounts;
  problems: string[];
}

export const NO_VERSION = 'none';

export function countVersions(answers: readonly RequestEvidence[]): VersionCounts {
  const counts: VersionCounts = {};
  for (const a of answers) {
    const v = a.status !== undefined && a.status < 500 ? a.headers['x-app-version'] : undefined;
    const key = v ?? NO_VERSION;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

const listed = (c: VersionCounts) =>
  Object.entries(c)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([v, n]) => `${v} ${n}`)
    .join(', ');

export function judgeHeaderRoute(
  expect: HeaderRouteExpectation,
  withHeader: readonly RequestEvidence[],
  withoutHeader: readonly RequestEvidence[],
  requests: number,
): HeaderRouteVerdict {
  const on = countVersions(withHeader);
  const off = countVersions(withoutHeader);
  const header = Object.entries(expect.header)
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');
  const problems: string[] = [];
  if (withHeader.length !== requests || withoutHeader.length !== requests)
    problems.push(
      `expected ${requests} answers each way, got ${withHeader.length} with the header and ${withoutHeader.length} without`,
    );
  const strayOn = Object.keys(on).filter((v) => v !== expect.matched);
  if (strayOn.length > 0)
    problems.push(`with ${header}: ${listed(on)}; every request must reach ${expect.matched}`);
  const strayOff = Object.keys(off).filter((v) => !expect.weighted.includes(v));
  if (strayOff.length > 0)
    problems.push(
      `without ${header}: ${listed(off)}; requests must reach only ${expect.weighted.join('|')} (the versions with weight)`,
    );
  return { passed: problems.length === 0, withHeader: on, withoutHeader: off, problems };
}
