import { referenceChecks } from './references.ts';
import { absenceSuite } from './testing/absence.ts';
import { fixtureSuite } from './testing/fixture-suite.ts';

fixtureSuite(referenceChecks);
// A wrong or missing port on a Service or pods that are there is no missing object.
absenceSuite(referenceChecks, {
  REF002: /has no port/,
  REF004: /is not a declared containerPort/,
});
