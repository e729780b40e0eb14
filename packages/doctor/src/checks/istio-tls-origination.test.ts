import { istioTlsOriginationChecks } from './istio-tls-origination.ts';
import { fixtureSuite } from './testing/fixture-suite.ts';

fixtureSuite(istioTlsOriginationChecks);
