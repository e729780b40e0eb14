import { tlsReferenceChecks } from './refs-tls.ts';
import { absenceSuite } from './testing/absence.ts';
import { fixtureSuite } from './testing/fixture-suite.ts';

fixtureSuite(tlsReferenceChecks);
absenceSuite(tlsReferenceChecks);
