import { fluxChecks } from './flux.ts';
import { fixtureSuite } from './testing/fixture-suite.ts';

fixtureSuite(fluxChecks);
