// The Git change a user commits to roll a canary app forward: in the spec, the stable weight (100)
// moves to the next version, then `meshproof render`. The runner does the same in memory and
// publishes the rendered files that changed as one commit on the run's Git source, so Flux, not the
// runner, changes the Deployment and Flagger sees a new revision exactly as it would in production.
import { renderPlatform } from '@meshproof/render';
import { type App, type AppVersion, formatErrors, type Platform, validatePlatform } from '@meshproof/spec';

export interface Release {
  /** The version that now takes weight 100 (the canary's pods answer with this name). */
  version: string;
  /** The version serving before (the primary keeps answering with this name until promotion). */
  previous: string;
  /** Fault injection of the released version, when it is meant to fail. */
  faults?: { errorRate: number; delayMs: number; delayRate: number };
}

const stable = (app: App): AppVersion => {
  const v = app.versions.find((x) => x.weight === 100);
  if (!v) throw new Error(`app ${app.name} has no version with weight 100`);
  return v;
};

/** The version a promotion rolls out: the first one with weight 0 (the spec's "next"). */
export function nextVersion(app: App): AppVersion {
  const v = app.versions.find((x) => x.weight === 0);
  if (!v)
    throw new Error(`app ${app.name} has no version with weight 0 to roll out next; add one to versions[]`);
  return v;
}

/** A copy of the spec with `version` of `appName` (added when missing) taking the stable weight. */
export function releaseSpec(platform: Platform, appName: string, version: AppVersion): Platform {
  const apps = platform.apps.map((app) => {
    if (app.name !== appName) return app;
    const known = app.versions.some((v) => v.name === version.name);
    const versions = [...app.versions, ...(known ? [] : [version])].map((v) =>
      v.name === version.name ? { ...version, weight: 100 } : { ...v, weight: 0 },
    );
    return { ...app, versions };
  });
  const result = validatePlatform({ ...platform, apps });
  if (!result.ok)
    throw new Error(
      `releasing ${appName} ${version.name} makes the spec invalid:\n${formatErrors(result.errors)}`,
    );
  return result.platform;
}

/** The healthy next version, then a faulty one after it (FAULT_ERROR_RATE), each as the spec that releases it. */
export function canaryReleases(
  platform: Platform,
  appName: string,
  errorRate = 0.5,
): { promote: { spec: Platform; release: Release }; rollback: { spec: Platform; release: Release } } {
  const app = platform.apps.find((a) => a.name === appName);
  if (!app) throw new Error(`no app named ${appName}`);
  const before = stable(app);
  const next = nextVersion(app);
  const promoted = releaseSpec(platform, appName, next);
  const faults = { errorRate, delayMs: 0, delayRate: 0 };
  const faulty: AppVersion = { ...next, name: `${next.name}-faulty`, weight: 0, faults };
  return {
    promote: { spec: promoted, release: { version: next.name, previous: before.name } },
    rollback: {
      spec: releaseSpec(promoted, appName, faulty),
      release: { version: faulty.name, previous: next.name, faults },
    },
  };
}

/** The files under clusters/<cluster>/ whose rendered content differs between two specs (null: removed). */
export function changedFiles(from: Platform, to: Platform, cluster: string): Record<string, string | null> {
  const a = renderPlatform(from, cluster).get(cluster) ?? new Map<string, string>();
  const b = renderPlatform(to, cluster).get(cluster) ?? new Map<string, string>();
  const out: Record<string, string | null> = {};
  for (const [path, text] of b) if (a.get(path) !== text) out[`clusters/${cluster}/${path}`] = text;
  for (const path of a.keys()) if (!b.has(path)) out[`clusters/${cluster}/${path}`] = null;
  return out;
}
