// Who may call whom without a mesh: NetworkPolicies, L4 only (see ../test-who-may-call-whom.ts).
import { describeWhoMayCallWhom, prometheusReadsMetrics } from '../test-who-may-call-whom.ts';

describeWhoMayCallWhom('none (NetworkPolicy)');
prometheusReadsMetrics('none (NetworkPolicy)', false);
