// Linkerd publishes its CRDs only as the templates of the linkerd-crds chart; render them the way
// `helm template` would with the chart's default values (or overrides) to get plain CRD YAML.
import { parse as parseYaml } from 'yaml';
import { renderHelmTemplate, type TemplateScope } from './helm-template.ts';

// The chart's own partial stamps the CLI version; the value only lands in an annotation, so any
// stable text will do and keeps the rendered output reproducible.
const PARTIALS = {
  'partials.annotations.created-by':
    'linkerd.io/created-by: {{ .Values.cliVersion | default "meshproof-schemas" }}',
};

export interface ChartFile {
  file: string;
  text: string;
}

export function linkerdScope(valuesYaml: string, overrides: Record<string, unknown> = {}): TemplateScope {
  const values = (parseYaml(valuesYaml) ?? {}) as Record<string, unknown>;
  return {
    Values: { ...values, ...overrides },
    Chart: { Name: 'linkerd-crds', Version: '0.0.0-undefined' },
    Release: { Name: 'linkerd-crds', Namespace: 'linkerd' },
  };
}

/** Rendered YAML text of every template, in input order; templates switched off render to nothing. */
export function renderLinkerdCrds(templates: ChartFile[], scope: TemplateScope): ChartFile[] {
  return templates.map((t) => ({ file: t.file, text: renderHelmTemplate(t.text, t.file, scope, PARTIALS) }));
}
