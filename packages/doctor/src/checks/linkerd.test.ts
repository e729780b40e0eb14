import { linkerdChecks } from './linkerd.ts';
import { fixtureSuite } from './testing/fixture-suite.ts';

fixtureSuite(linkerdChecks);
