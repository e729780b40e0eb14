import { fluxDataReferenceChecks } from './refs-flux.ts';
import { fixtureSuite } from './testing/fixture-suite.ts';

fixtureSuite(fluxDataReferenceChecks);
