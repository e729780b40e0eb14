import { flaggerReferenceChecks } from './refs-flagger.ts';
import { fixtureSuite } from './testing/fixture-suite.ts';

fixtureSuite(flaggerReferenceChecks);
