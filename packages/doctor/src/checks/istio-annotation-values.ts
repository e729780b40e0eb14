// What the sidecar injector accepts as the value of the annotations it validates (istio/istio
// pkg/kube/inject/validate.go, AnnotationValidation): an invalid value fails injection for the pod.
// proxy.istio.io/config is validated there too, against the whole ProxyConfig; the doctor leaves it alone.
import { isIPv4, isIPv6 } from 'node:net';

/** Why the value is refused, or undefined when the injector takes it. */
type Validate = (value: string) => string | undefined;

const UINT = /^[0-9]+$/;

const uintUpTo =
  (max: number, what: string): Validate =>
  (v) =>
    UINT.test(v) && Number(v) <= max ? undefined : `'${v}' is not ${what}`;

const port = uintUpTo(65535, 'a port number (0-65535)');

// Comma separated ports, each trimmed; an empty list is allowed.
const portList =
  (star: boolean): Validate =>
  (v) => {
    if (star && v === '*') return undefined;
    const list = v.trim();
    if (list === '') return undefined;
    const bad = list.split(',').find((p) => port(p.trim()) !== undefined);
    return bad === undefined
      ? undefined
      : `'${bad}' in '${v}' is not a port number (0-65535)${star ? " or '*'" : ''}`;
  };

function cidr(c: string): boolean {
  const slash = c.indexOf('/');
  if (slash < 0) return false;
  const addr = c.slice(0, slash);
  const bits = c.slice(slash + 1);
  if (!/^(0|[1-9][0-9]*)$/.test(bits)) return false;
  if (isIPv4(addr)) return Number(bits) <= 32;
  return isIPv6(addr) && !addr.includes('%') && Number(bits) <= 128;
}

// Comma separated CIDR prefixes with no spaces; an empty value is allowed.
const cidrList =
  (star: boolean): Validate =>
  (v) => {
    if ((star && v === '*') || v === '') return undefined;
    const bad = v.split(',').find((c) => !cidr(c));
    return bad === undefined
      ? undefined
      : `'${bad}' in '${v}' is not a CIDR range such as 10.0.0.0/8${star ? " (or use '*' alone)" : ''}`;
  };

// The spellings Go's strconv.ParseBool takes.
const BOOLS = new Set(['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False']);

export const ANNOTATION_VALUES: ReadonlyMap<string, Validate> = new Map<string, Validate>([
  [
    'sidecar.istio.io/interceptionMode',
    (v) =>
      ['REDIRECT', 'TPROXY', 'NONE'].includes(v) ? undefined : `'${v}' is not REDIRECT, TPROXY or NONE`,
  ],
  ['status.sidecar.istio.io/port', (v) => port(v.trim())],
  [
    'readiness.status.sidecar.istio.io/initialDelaySeconds',
    uintUpTo(4294967295, 'a whole number of seconds'),
  ],
  ['readiness.status.sidecar.istio.io/periodSeconds', uintUpTo(4294967295, 'a whole number of seconds')],
  ['readiness.status.sidecar.istio.io/failureThreshold', uintUpTo(4294967295, 'a whole number')],
  ['traffic.sidecar.istio.io/includeOutboundIPRanges', cidrList(true)],
  ['traffic.sidecar.istio.io/excludeOutboundIPRanges', cidrList(false)],
  ['traffic.sidecar.istio.io/includeInboundPorts', portList(true)],
  ['traffic.sidecar.istio.io/excludeInboundPorts', portList(false)],
  ['traffic.sidecar.istio.io/excludeOutboundPorts', portList(false)],
  ['prometheus.istio.io/merge-metrics', (v) => (BOOLS.has(v) ? undefined : `'${v}' is not true or false`)],
]);
