import { linkerdReferenceChecks } from './refs-linkerd.ts';
import { fixtureSuite } from './testing/fixture-suite.ts';

fixtureSuite(linkerdReferenceChecks);
