import { gatewayReferenceChecks } from './refs-gateway.ts';
import { absenceSuite } from './testing/absence.ts';
import { fixtureSuite } from './testing/fixture-suite.ts';

fixtureSuite(gatewayReferenceChecks);
// REF026 judges parents that are there (their listeners and ports): only REF025 names missing objects.
absenceSuite(gatewayReferenceChecks.filter((c) => c.id === 'REF025'));
