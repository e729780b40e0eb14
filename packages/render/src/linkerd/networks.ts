/**
 * Where kubelet probes come from: the node, unmeshed, so they can only be authenticated by network.
 * Linkerd's docs authorize probe routes from every network (`0.0.0.0/0`, `::/0`, also the chart's
 * default `policyController.probeNetworks`); `meshproof check` rejects open CIDRs (SEC003), so these
 * are the private ranges of Linkerd's own `clusterNetworks` default, which hold the kind node addresses.
 * Only GET on the exact probe paths is admitted from them.
 */
export const CLUSTER_NETWORKS = ['10.0.0.0/8', '100.64.0.0/10', '172.16.0.0/12', '192.168.0.0/16'];
