// What `./dev mutation <target>` mutates: the code that decides security (issue: mutation testing).
// Stryker runs inside the target's workspace folder (its own node_modules and tsconfig); globs are
// relative to it.
/** target -> workspace folder, files to mutate, test files (relative to the folder). */
export type MutationTarget = { dir: string; mutate: string[]; tests: string[] };

/** Where a target's HTML report and incremental file live, relative to the repository root. */
export const reportDir = (target: string): string => `reports/mutation/${target.replaceAll('/', '-')}`;

export const TARGETS: Record<string, MutationTarget> = {
  'packages/spec': { dir: 'packages/spec', mutate: ['src/**/*.ts'], tests: ['src/**/*.test.ts'] },
  // Each check module's fixtures run from its own <module>.test.ts, so a mutant is covered only by its
  // module's fixture suite, the focused check tests and index.test.ts (IDs, texts, severities).
  'packages/doctor/src/checks': {
    dir: 'packages/doctor',
    // The Istio annotation catalogue is data generated from istio/api by scripts/istio-annotations.ts.
    mutate: ['src/checks/*.ts', '!src/checks/istio-annotations-catalog.ts'],
    tests: ['src/checks/*.test.ts'],
  },
  // Policy and authorization of every mesh: who may call whom, default deny, the probe facts.
  'packages/render': {
    dir: 'packages/render',
    mutate: [
      'src/baseline/{network-policies,plugin,zero-trust}.ts',
      'src/istio/{authorization,principals,waypoint,ingress,zero-trust}.ts',
      'src/linkerd/{access,authorization,networks,prometheus,zero-trust}.ts',
      'src/cilium/{policies,zero-trust}.ts',
    ],
    // A test file that renders a cluster covers every mutant of that mesh, and a surviving mutant
    // runs all its covering files: so only the golden test (committed clusters/) and who-may-call-whom
    // (each mesh's policies against the spec's calls), both split per mesh folder so a mutant runs its
    // mesh's files only, and the focused rule tests (ingress without its slow CRD schema check).
    tests: [
      'src/{baseline,istio,linkerd,cilium}/{committed-clusters,who-may-call-whom,zero-trust}.test.ts',
      'src/baseline/network-policies.test.ts',
      'src/cilium/policies.test.ts',
      'src/istio/authorization.test.ts',
      'src/gateway/ingress.test.ts',
      'src/linkerd/{access,metrics-access,authorization,prometheus}.test.ts',
    ],
  },
  'packages/schemas': {
    dir: 'packages/schemas',
    mutate: ['src/lock*.ts', 'src/sync*.ts', 'src/fetch-source.ts', 'src/mirror.ts'],
    // sync.test.ts syncs the whole upstream mirror: minutes per mutant; sync-lock.test.ts states the same rules on small locks.
    tests: ['src/lock.test.ts', 'src/fetch-source.test.ts', 'src/mirror.test.ts', 'src/sync-lock.test.ts'],
  },
  'apps/shared': {
    dir: 'apps/shared',
    mutate: ['src/metrics.ts', 'src/process-metrics.ts', 'src/service.ts'],
    tests: ['src/**/*.test.ts'],
  },
  // Not src/bench (a load generator and its tests, not the app) nor main.ts (three lines handing the
  // config to runMain).
  'apps/backend': {
    dir: 'apps/backend',
    mutate: ['src/*.ts', '!src/main.ts'],
    tests: ['src/*.test.ts'],
  },
  'apps/frontend': { dir: 'apps/frontend', mutate: ['src/fanout.ts'], tests: ['src/**/*.test.ts'] },
};
