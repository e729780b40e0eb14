import { istioAnnotationChecks } from './istio-annotations.ts';
import { fixtureSuite } from './testing/fixture-suite.ts';

fixtureSuite(istioAnnotationChecks);
