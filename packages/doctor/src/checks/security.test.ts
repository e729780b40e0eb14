import { securityChecks } from './security.ts';
import { fixtureSuite } from './testing/fixture-suite.ts';

fixtureSuite(securityChecks);
