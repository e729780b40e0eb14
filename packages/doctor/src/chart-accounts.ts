// ServiceAccounts that charts create at install time: policies may name them although no
// ServiceAccount object is committed. Read from the HelmReleases the cluster renders.
import { get, isObj, ofKind, releaseValues } from './k8s.ts';
import type { ClusterSet } from './model.ts';

// Helm's usual `<chart>.fullname`: the override, else the release name when it already contains the chart name.
function fullname(release: string, chart: string, values: Record<string, unknown>): string {
  const override = values.fullnameOverride;
  if (typeof override === 'string' && override !== '') return override;
  return release.includes(chart) ? release : `${release}-${chart}`;
}

// Accounts a chart names after its fullname, for charts whose templates do that.
const FULLNAME_ACCOUNTS: Record<string, string[]> = {
  'kube-prometheus-stack': ['-prometheus', '-operator', '-alertmanager'],
};

/** `namespace/name` of every ServiceAccount the cluster's HelmReleases create. */
export function chartServiceAccounts(c: ClusterSet): Set<string> {
  const out = new Set<string>();
  for (const hr of ofKind(c, 'HelmRelease', 'fluxcd.io')) {
    const chart = String(get(hr.body, ['spec', 'chart', 'spec', 'chart']) ?? '');
    const release = String(get(hr.body, ['spec', 'releaseName']) ?? hr.name);
    const ns = String(get(hr.body, ['spec', 'targetNamespace']) ?? hr.namespace);
    const values = releaseValues(c, hr);
    for (const suffix of FULLNAME_ACCOUNTS[chart] ?? [])
      out.add(`${ns}/${fullname(release, chart, values)}${suffix}`);
    const sa = values.serviceAccount;
    // The common chart convention: serviceAccount.create with an explicit serviceAccount.name.
    if (isObj(sa) && sa.create !== false && typeof sa.name === 'string' && sa.name !== '')
      out.add(`${ns}/${sa.name}`);
  }
  return out;
}
