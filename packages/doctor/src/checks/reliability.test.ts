import { reliabilityChecks } from './reliability.ts';
import { fixtureSuite } from './testing/fixture-suite.ts';

fixtureSuite(reliabilityChecks);
