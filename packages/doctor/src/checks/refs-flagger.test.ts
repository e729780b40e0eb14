import { flaggerReferenceChecks } from './refs-flagger.ts';
import { absenceSuite } from './testing/absence.ts';
import { fixtureSuite } from './testing/fixture-suite.ts';

fixtureSuite(flaggerReferenceChecks);
absenceSuite(flaggerReferenceChecks);
