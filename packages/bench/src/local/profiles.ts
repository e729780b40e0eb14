// Load profiles of `meshproof bench --local`. quick: a smoke run sized to finish in well under a
// minute on a 2-core machine (CI runs it in ./dev test); full: enough requests and repetitions for
// the floor's figures (about 12 minutes).
export type LocalProfile = {
  name: 'quick' | 'full';
  /** Requests per second (constant arrival rate). */
  rate: number;
  durationSeconds: number;
  warmupSeconds: number;
  repetitions: number;
  payloadBytes: number;
  /** Keep-alive connections per run: enough to ride out a stall of connections / rate seconds. */
  connections: number;
};

export const LOCAL_PROFILES: Record<LocalProfile['name'], LocalProfile> = {
  quick: {
    name: 'quick',
    rate: 200,
    durationSeconds: 2,
    warmupSeconds: 1,
    repetitions: 3,
    payloadBytes: 1024,
    connections: 256,
  },
  full: {
    name: 'full',
    rate: 1000,
    durationSeconds: 30,
    warmupSeconds: 5,
    repetitions: 10,
    payloadBytes: 1024,
    connections: 1000,
  },
};
