import { describe, expect, it } from 'vitest';
import { lanesForSteps } from '../../src/cli/worker.js';
import { LANE_NAMES } from '../../src/model/lanes.js';

describe('shoebox worker --steps', () => {
  it('takes every lane by default, and the lanes of the named steps otherwise', () => {
    expect(lanesForSteps(undefined)).toEqual([...LANE_NAMES]);
    expect(lanesForSteps(['faces', 'embeddings']).sort()).toEqual(['clip', 'faces']);
    expect(lanesForSteps(['preprocessing', 'metadata', 'hashes'])).toEqual(['quick']);
  });

  it('names the steps there are when one is unknown', () => {
    expect(() => lanesForSteps(['faces', 'gpu'])).toThrow(/unknown step gpu: the steps are preprocessing, metadata/);
  });
});
