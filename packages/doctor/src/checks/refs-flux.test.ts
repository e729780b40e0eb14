import { fluxDataReferenceChecks } from './refs-flux.ts';
import { absenceSuite } from './testing/absence.ts';
import { fixtureSuite } from './testing/fixture-suite.ts';

fixtureSuite(fluxDataReferenceChecks);
absenceSuite(fluxDataReferenceChecks);
