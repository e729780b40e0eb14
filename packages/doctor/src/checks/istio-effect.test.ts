import { istioEffectChecks } from './istio-effect.ts';
import { fixtureSuite } from './testing/fixture-suite.ts';

fixtureSuite(istioEffectChecks);
