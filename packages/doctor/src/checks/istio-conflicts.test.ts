import { istioConflictChecks } from './istio-conflicts.ts';
import { fixtureSuite } from './testing/fixture-suite.ts';

fixtureSuite(istioConflictChecks);
