import { portReferenceChecks } from './refs-ports.ts';
import { fixtureSuite } from './testing/fixture-suite.ts';

fixtureSuite(portReferenceChecks);
