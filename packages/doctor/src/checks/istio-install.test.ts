import { istioInstallChecks } from './istio-install.ts';
import { fixtureSuite } from './testing/fixture-suite.ts';

fixtureSuite(istioInstallChecks);
