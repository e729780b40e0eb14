import { istioPortChecks } from './istio-ports.ts';
import { fixtureSuite } from './testing/fixture-suite.ts';

fixtureSuite(istioPortChecks);
