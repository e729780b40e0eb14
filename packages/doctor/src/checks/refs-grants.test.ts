import { grantReferenceChecks } from './refs-grants.ts';
import { fixtureSuite } from './testing/fixture-suite.ts';

fixtureSuite(grantReferenceChecks);
