// Load profiles: `quick` keeps a CI job short and still yields intervals (3 pairs); `full` is for a run one
// would publish (10 pairs of 3-minute runs, per the ≥5–10 independent runs the method notes recommend).
import type { Profile } from '../results/layout.ts';

export const PROFILES = {
  quick: {
    name: 'quick',
    rate: 200,
    durationSeconds: 60,
    warmupSeconds: 15,
    repetitions: 3,
    payloadBytes: 1024,
  },
  full: {
    name: 'full',
    rate: 500,
    durationSeconds: 180,
    warmupSeconds: 30,
    repetitions: 10,
    payloadBytes: 1024,
  },
} as const satisfies Record<string, Profile>;

export type ProfileName = keyof typeof PROFILES;
export const PROFILE_NAMES = Object.keys(PROFILES) as ProfileName[];

/** Alternating schedule, counterbalanced: odd repetitions run plain first, even ones mesh first (ABBA…). */
export const schedule = (repetitions: number) =>
  Array.from({ length: repetitions }, (_, i) => i + 1).flatMap((repetition) =>
    (repetition % 2 === 1 ? (['plain', 'mesh'] as const) : (['mesh', 'plain'] as const)).map((side) => ({
      repetition,
      side,
    })),
  );
