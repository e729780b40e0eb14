import { istioReferenceChecks } from './refs-istio.ts';
import { fixtureSuite } from './testing/fixture-suite.ts';

fixtureSuite(istioReferenceChecks);
