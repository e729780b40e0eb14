// Every check, in report order. IDs are stable: suppressions and SARIF rules refer to them.
import type { Check } from '../model.ts';
import { suppressionChecks } from '../suppress.ts';
import { ciliumChecks } from './cilium.ts';
import { fluxChecks } from './flux.ts';
import { fluxReferenceChecks } from './flux-refs.ts';
import { istioChecks } from './istio.ts';
import { istioAnnotationChecks } from './istio-annotations.ts';
import { istioConflictChecks } from './istio-conflicts.ts';
import { istioEffectChecks } from './istio-effect.ts';
import { istioGatewayChecks } from './istio-gateways.ts';
import { istioInstallChecks } from './istio-install.ts';
import { istioPortChecks } from './istio-ports.ts';
import { istioTlsOriginationChecks } from './istio-tls-origination.ts';
import { kubernetesChecks } from './kubernetes.ts';
import { linkerdChecks } from './linkerd.ts';
import { linkerdAdmissionChecks } from './linkerd-admission.ts';
import { linkerdScrapeChecks } from './linkerd-scrape.ts';
import { malformedChecks } from './malformed.ts';
import { mtlsChecks } from './mtls.ts';
import { portNameChecks } from './port-names.ts';
import { protocolChecks } from './protocols.ts';
import { referenceChecks } from './references.ts';
import { flaggerReferenceChecks } from './refs-flagger.ts';
import { fluxDataReferenceChecks } from './refs-flux.ts';
import { gatewayReferenceChecks } from './refs-gateway.ts';
import { grantReferenceChecks } from './refs-grants.ts';
import { istioReferenceChecks } from './refs-istio.ts';
import { linkerdReferenceChecks } from './refs-linkerd.ts';
import { portReferenceChecks } from './refs-ports.ts';
import { tlsReferenceChecks } from './refs-tls.ts';
import { reliabilityChecks } from './reliability.ts';
import { scalingChecks } from './scaling.ts';
import { schemaChecks } from './schema.ts';
import { securityChecks } from './security.ts';
import { selectorChecks } from './selectors.ts';
import { workloadChecks } from './workload.ts';
import { workloadHygieneChecks } from './workload-hygiene.ts';

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
  ...tlsReferenceChecks,
  ...grantReferenceChecks,
  ...selectorChecks,
  ...securityChecks,
  ...mtlsChecks,
  ...protocolChecks,
  ...workloadChecks,
  ...workloadHygieneChecks,
  ...reliabilityChecks,
  ...scalingChecks,
  ...istioChecks,
  ...istioConflictChecks,
  ...istioEffectChecks,
  ...istioGatewayChecks,
  ...istioPortChecks,
  ...istioInstallChecks,
  ...istioTlsOriginationChecks,
  ...istioAnnotationChecks,
  ...linkerdChecks,
  ...linkerdAdmissionChecks,
  ...linkerdScrapeChecks,
  ...ciliumChecks,
  ...fluxChecks,
  ...suppressionChecks,
];
