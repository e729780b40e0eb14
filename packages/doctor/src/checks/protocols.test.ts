import { protocolChecks } from './protocols.ts';
import { fixtureSuite } from './testing/fixture-suite.ts';

fixtureSuite(protocolChecks);
