import { fluxReferenceChecks } from './flux-refs.ts';
import { fixtureSuite } from './testing/fixture-suite.ts';

fixtureSuite(fluxReferenceChecks);
