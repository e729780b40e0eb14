import { malformedChecks } from './malformed.ts';
import { fixtureSuite } from './testing/fixture-suite.ts';

fixtureSuite(malformedChecks);
