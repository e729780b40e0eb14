import { fixtureSuite } from './testing/fixture-suite.ts';
import { workloadChecks } from './workload.ts';

fixtureSuite(workloadChecks);
