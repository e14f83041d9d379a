/*
 * Vectors copied from GrowthBook's published SDK test cases: packages/sdk-js/test/cases.json in the
 * growthbook/growthbook repository (specVersion 0.5.4), sections "hash" (the hashVersion-2 rows), "getBucketRange",
 * "chooseVariation", and the hashVersion-2 cases of "run", "feature" and "stickyBucket" (with the seed, unit id,
 * weights and coverage of the case and the variation GrowthBook returns). Hashes and variations are compared exactly.
 */

/** cases.json "hash": [seed, value, version, expected] — the version-2 rows. */
export const HASH_V2: Array<[string, string, number]> = [
  ['seed', 'a', 0.0505],
  ['seed', 'b', 0.2696],
  ['foo', 'ab', 0.2575],
  ['foo', 'def', 0.2019],
  ['89123klj', '8952klfjas09ujkasdf', 0.124],
  ['90850943850283058242805', '123', 0.7516],
  ['()**(%$##$%#$#', '___)((*":&', 0.0128],
];

/** cases.json "getBucketRange": [name, [numVariations, coverage, weights], expected ranges]. */
export const GET_BUCKET_RANGE: Array<[string, [number, number, number[] | null], Array<[number, number]>]> = [
  [
    'normal 50/50',
    [2, 1, null],
    [
      [0, 0.5],
      [0.5, 1],
    ],
  ],
  [
    'reduced coverage',
    [2, 0.5, null],
    [
      [0, 0.25],
      [0.5, 0.75],
    ],
  ],
  [
    'zero coverage',
    [2, 0, null],
    [
      [0, 0],
      [0.5, 0.5],
    ],
  ],
  [
    '4 variations',
    [4, 1, null],
    [
      [0, 0.25],
      [0.25, 0.5],
      [0.5, 0.75],
      [0.75, 1],
    ],
  ],
  [
    'uneven weights',
    [2, 1, [0.4, 0.6]],
    [
      [0, 0.4],
      [0.4, 1],
    ],
  ],
  [
    'uneven weights, 3 variations',
    [3, 1, [0.2, 0.3, 0.5]],
    [
      [0, 0.2],
      [0.2, 0.5],
      [0.5, 1],
    ],
  ],
  [
    'uneven weights, reduced coverage, 3 variations',
    [3, 0.2, [0.2, 0.3, 0.5]],
    [
      [0, 0.04],
      [0.2, 0.26],
      [0.5, 0.6],
    ],
  ],
  [
    'negative coverage',
    [2, -0.2, null],
    [
      [0, 0],
      [0.5, 0.5],
    ],
  ],
  [
    'coverage above 1',
    [2, 1.5, null],
    [
      [0, 0.5],
      [0.5, 1],
    ],
  ],
  [
    'weights sum below 1',
    [2, 1, [0.4, 0.1]],
    [
      [0, 0.5],
      [0.5, 1],
    ],
  ],
  [
    'weights sum above 1',
    [2, 1, [0.7, 0.6]],
    [
      [0, 0.5],
      [0.5, 1],
    ],
  ],
  [
    'weights.length not equal to num variations',
    [4, 1, [0.4, 0.4, 0.2]],
    [
      [0, 0.25],
      [0.25, 0.5],
      [0.5, 0.75],
      [0.75, 1],
    ],
  ],
  [
    'weights sum almost equals 1',
    [2, 1, [0.4, 0.5999]],
    [
      [0, 0.4],
      [0.4, 0.9999],
    ],
  ],
];

/** cases.json "chooseVariation": [name, n, ranges, expected]. */
export const CHOOSE_VARIATION: Array<[string, number, Array<[number, number]>, number]> = [
  [
    'even range, 0.2',
    0.2,
    [
      [0, 0.5],
      [0.5, 1],
    ],
    0,
  ],
  [
    'even range, 0.4',
    0.4,
    [
      [0, 0.5],
      [0.5, 1],
    ],
    0,
  ],
  [
    'even range, 0.6',
    0.6,
    [
      [0, 0.5],
      [0.5, 1],
    ],
    1,
  ],
  [
    'even range, 0.8',
    0.8,
    [
      [0, 0.5],
      [0.5, 1],
    ],
    1,
  ],
  [
    'even range, 0',
    0,
    [
      [0, 0.5],
      [0.5, 1],
    ],
    0,
  ],
  [
    'even range, 0.5',
    0.5,
    [
      [0, 0.5],
      [0.5, 1],
    ],
    1,
  ],
  [
    'reduced range, 0.2',
    0.2,
    [
      [0, 0.25],
      [0.5, 0.75],
    ],
    0,
  ],
  [
    'reduced range, 0.4',
    0.4,
    [
      [0, 0.25],
      [0.5, 0.75],
    ],
    -1,
  ],
  [
    'reduced range, 0.6',
    0.6,
    [
      [0, 0.25],
      [0.5, 0.75],
    ],
    1,
  ],
  [
    'reduced range, 0.8',
    0.8,
    [
      [0, 0.25],
      [0.5, 0.75],
    ],
    -1,
  ],
  [
    'reduced range, 0.25',
    0.25,
    [
      [0, 0.25],
      [0.5, 0.75],
    ],
    -1,
  ],
  [
    'reduced range, 0.5',
    0.5,
    [
      [0, 0.25],
      [0.5, 0.75],
    ],
    1,
  ],
  [
    'zero range',
    0.5,
    [
      [0, 0.5],
      [0.5, 0.5],
      [0.5, 1],
    ],
    2,
  ],
];

/**
 * hashVersion-2 experiment evaluations: [case, seed, unit id, weights, coverage, expected variation (−1 = not in the
 * experiment), expected bucket (hash) when the case publishes it].
 */
export const GROWTHBOOK_V2_RUNS: Array<[string, string, string, number[], number, number, number | null]> = [
  // "run": "Uses seed with default weights/coverage" ({ key, seed: 'foo', hashVersion: 2, variations: [0, 1] }, id '1')
  ['run: Uses seed with default weights/coverage', 'foo', '1', [0.5, 0.5], 1, 1, null],
  // "run": "Uses seed with weights/coverage" (weights [0.5, 0.5], coverage 0.99)
  ['run: Uses seed with weights/coverage', 'foo', '1', [0.5, 0.5], 0.99, 1, null],
  // "run": "Uses seed and hash version" (ranges [[0, 0.5], [0.5, 1]], the equal-weight ranges)
  ['run: Uses seed and hash version', 'foo', '1', [0.5, 0.5], 1, 1, null],
  // "feature": "creates experiments properly" (seed 'feature', anonId '123', coverage 0.99, weights [0.1, 0.9]) -> bucket 0.5231, variation 1
  ['feature: creates experiments properly', 'feature', '123', [0.1, 0.9], 0.99, 1, 0.5231],
  // "stickyBucket": "performs evaluation without sticky bucket" (seed 'feature-exp', deviceId 'd123', weights [0.3334, 0.3333, 0.3333]) -> bucket 0.6468, variation 1
  ['stickyBucket: performs evaluation without sticky bucket', 'feature-exp', 'd123', [0.3334, 0.3333, 0.3333], 1, 1, 0.6468],
];
