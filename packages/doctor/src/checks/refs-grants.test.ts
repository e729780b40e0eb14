import { grantReferenceChecks } from './refs-grants.ts';
import { absenceSuite } from './testing/absence.ts';
import { fixtureSuite } from './testing/fixture-suite.ts';

fixtureSuite(grantReferenceChecks);
absenceSuite(grantReferenceChecks);
