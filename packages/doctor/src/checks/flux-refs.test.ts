import { fluxReferenceChecks } from './flux-refs.ts';
import { absenceSuite } from './testing/absence.ts';
import { fixtureSuite } from './testing/fixture-suite.ts';

fixtureSuite(fluxReferenceChecks);
// REF007 reads paths, REF009 cycles and REF010 is info already: only REF006 and REF008 name objects.
absenceSuite(fluxReferenceChecks.filter((c) => c.id === 'REF006' || c.id === 'REF008'));
