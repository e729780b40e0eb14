import { kubernetesChecks } from './kubernetes.ts';
import { fixtureSuite } from './testing/fixture-suite.ts';

fixtureSuite(kubernetesChecks);
