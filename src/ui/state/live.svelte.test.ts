// Tests of touchesTables: a throttled re-read follows only the tables it shows.
import { describe, expect, it } from 'vitest';
import { touchesTables } from './live.svelte';

describe('touchesTables', () => {
  const parts = (...keys: string[]) => Object.fromEntries(keys.map((k) => [k, {}]));

  it('a change of a listed table (any index) wakes the re-read', () => {
    expect(touchesTables(parts('idb://cleanroom/instances/seriesKey'), ['instances'])).toBe(true);
    expect(touchesTables(parts('idb://cleanroom/instances/'), ['series', 'instances'])).toBe(true);
  });

  it('a settings write does not wake a re-read of the instances', () => {
    expect(
      touchesTables(parts('idb://cleanroom/settings/', 'idb://cleanroom/settings/:dels'), [
        'instances',
      ]),
    ).toBe(false);
    expect(touchesTables(parts('idb://cleanroom/instancesX/'), ['instances'])).toBe(false);
    expect(touchesTables({}, ['instances'])).toBe(false);
  });
});
