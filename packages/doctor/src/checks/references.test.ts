import { referenceChecks } from './references.ts';
import { fixtureSuite } from './testing/fixture-suite.ts';

fixtureSuite(referenceChecks);
