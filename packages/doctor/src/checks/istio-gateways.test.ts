import { istioGatewayChecks } from './istio-gateways.ts';
import { fixtureSuite } from './testing/fixture-suite.ts';

fixtureSuite(istioGatewayChecks);
