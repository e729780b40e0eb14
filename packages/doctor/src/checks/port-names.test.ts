import { portNameChecks } from './port-names.ts';
import { fixtureSuite } from './testing/fixture-suite.ts';

fixtureSuite(portNameChecks);
