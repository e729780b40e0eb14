import { fixtureSuite } from './testing/fixture-suite.ts';
import { workloadHygieneChecks } from './workload-hygiene.ts';

fixtureSuite(workloadHygieneChecks);
