import { ciliumChecks } from './cilium.ts';
import { fixtureSuite } from './testing/fixture-suite.ts';

fixtureSuite(ciliumChecks);
