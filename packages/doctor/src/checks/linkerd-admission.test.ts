import { linkerdAdmissionChecks } from './linkerd-admission.ts';
import { fixtureSuite } from './testing/fixture-suite.ts';

fixtureSuite(linkerdAdmissionChecks);
