// Every check, in report order. IDs are stable: suppressions and SARIF rules refer to them.
import type { Check } from '../model.ts';
import { suppressionChecks } from '../suppress.ts';
import { ciliumChecks } from './cilium.ts';
import { fluxChecks } from './flux.ts';
import { fluxReferenceChecks } from './flux-refs.ts';
import { istioChecks } from './istio.ts';
import { kubernetesChecks } from './kubernetes.ts';
import { linkerdChecks } from './linkerd.ts';
import { malformedChecks } from './malformed.ts';
import { mtlsChecks } from './mtls.ts';
import { portNameChecks } from './port-names.ts';
import { protocolChecks } from './protocols.ts';
import { referenceChecks } from './references.ts';
import { flaggerReferenceChecks } from './refs-flagger.ts';
import { fluxDataReferenceChecks } from './refs-flux.ts';
import { gatewayReferenceChecks } from './refs-gateway.ts';
import { istioReferenceChecks } from './refs-istio.ts';
import { linkerdReferenceChecks } from './refs-linkerd.ts';
import { portReferenceChecks } from './refs-ports.ts';
import { scalingChecks } from './scaling.ts';
import { schemaChecks } from './schema.ts';
import { securityChecks } from './security.ts';
import { selectorChecks } from './selectors.ts';
import { workloadChecks } from './workload.ts';

export const allChecks: Check[] = [
  ...schemaChecks,
  ...malformedChecks,
  ...kubernetesChecks,
  ...portNameChecks,
  ...referenceChecks,
  ...fluxReferenceChecks,
  ...istioReferenceChecks,
  ...gatewayReferenceChecks,
  ...linkerdReferenceChecks,
  ...fluxDataReferenceChecks,
  ...flaggerReferenceChecks,
  ...portReferenceChecks,
  ...selectorChecks,
  ...securityChecks,
  ...mtlsChecks,
  ...protocolChecks,
  ...workloadChecks,
  ...scalingChecks,
  ...istioChecks,
  ...linkerdChecks,
  ...ciliumChecks,
  ...fluxChecks,
  ...suppressionChecks,
];
