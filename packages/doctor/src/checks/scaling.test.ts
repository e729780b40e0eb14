import { scalingChecks } from './scaling.ts';
import { fixtureSuite } from './testing/fixture-suite.ts';

fixtureSuite(scalingChecks);
