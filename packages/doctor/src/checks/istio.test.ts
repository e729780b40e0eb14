import { istioChecks } from './istio.ts';
import { fixtureSuite } from './testing/fixture-suite.ts';

fixtureSuite(istioChecks);
