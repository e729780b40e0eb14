import { fixtureSuite } from './checks/testing/fixture-suite.ts';
import { suppressionChecks } from './suppress.ts';

fixtureSuite(suppressionChecks);
