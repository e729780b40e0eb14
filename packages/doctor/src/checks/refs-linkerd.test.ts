import { linkerdReferenceChecks } from './refs-linkerd.ts';
import { absenceSuite } from './testing/absence.ts';
import { fixtureSuite } from './testing/fixture-suite.ts';

fixtureSuite(linkerdReferenceChecks);
absenceSuite(linkerdReferenceChecks);
