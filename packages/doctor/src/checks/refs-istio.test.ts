import { istioReferenceChecks } from './refs-istio.ts';
import { absenceSuite } from './testing/absence.ts';
import { fixtureSuite } from './testing/fixture-suite.ts';

fixtureSuite(istioReferenceChecks);
// REF024 judges ports of hosts that are there: no missing object.
absenceSuite(istioReferenceChecks.filter((c) => c.id !== 'REF024'));
