import { gatewayReferenceChecks } from './refs-gateway.ts';
import { fixtureSuite } from './testing/fixture-suite.ts';

fixtureSuite(gatewayReferenceChecks);
