import { tlsReferenceChecks } from './refs-tls.ts';
import { fixtureSuite } from './testing/fixture-suite.ts';

fixtureSuite(tlsReferenceChecks);
