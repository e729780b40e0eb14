// The committed clusters/ of the repository spec that run this folder's mesh (see ../test-committed-clusters.ts).
import { testCommittedClusters } from '../test-committed-clusters.ts';

await testCommittedClusters('linkerd');
