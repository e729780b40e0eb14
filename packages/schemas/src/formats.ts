// String formats as the Kubernetes API server understands them. Formats it does not enforce are
// accepted, so an unusual `format` in an upstream CRD never turns into a false finding.
import type { Ajv, Format } from 'ajv';
import { fullFormats } from 'ajv-formats/dist/formats.js';

// Go's time.ParseDuration syntax (metav1.Duration), not ISO 8601.
const GO_DURATION = /^[-+]?(?:0|(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))+$/;
const CIDR = /^(?:(?:\d{1,3}\.){3}\d{1,3}\/\d{1,2}|[0-9a-fA-F:.]+\/\d{1,3})$/;

const KUBERNETES: Record<string, Format> = {
  duration: GO_DURATION,
  cidr: CIDR,
  string: true,
  'int-or-string': true,
};

const STANDARD = new Set([
  'date-time',
  'date',
  'uri',
  'url',
  'email',
  'hostname',
  'ipv4',
  'ipv6',
  'uuid',
  'byte',
]);
const NUMERIC = new Set(['int32', 'int64', 'float', 'double']);

/** Register `name` on `ajv` once, choosing the Kubernetes meaning when it differs from JSON Schema's. */
export function addFormat(ajv: Ajv, name: string): void {
  if (ajv.formats[name] !== undefined) return;
  const known =
    KUBERNETES[name] ?? (STANDARD.has(name) || NUMERIC.has(name) ? fullFormats[name as 'uri'] : true);
  ajv.addFormat(name, known);
}
