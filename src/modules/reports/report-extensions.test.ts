/** A memoised report source loads once per key, forgets the least recently used, and never keeps a failure. */
import { describe, expect, it } from 'vitest';
import { memoisedSource, type ReportSource } from './report-extensions.js';

function counting(fail = () => false): ReportSource & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async load(id) {
      calls.push(id);
      if (fail()) throw new Error('source down');
      return {
        charts: [{ id, title: id, svg: '<svg/>', textAlternative: id, table: { caption: id, columns: [], rows: [] } }],
      };
    },
  };
}

describe('memoisedSource', () => {
  it('loads once per key and again when the key changes', async () => {
    const source = counting();
    let version = 'v1';
    const memo = memoisedSource(source, async (id) => `${id}:${version}`);
    const first = await memo.load('a');
    expect(await memo.load('a')).toBe(first);
    version = 'v2';
    await memo.load('a');
    expect(source.calls).toEqual(['a', 'a']);
  });

  it('loads afresh when there is no key', async () => {
    const source = counting();
    const memo = memoisedSource(source, async () => undefined);
    await memo.load('a');
    await memo.load('a');
    expect(source.calls).toEqual(['a', 'a']);
  });

  it('keeps the latest keys, the least recently used out first', async () => {
    const source = counting();
    const memo = memoisedSource(source, async (id) => id, 2);
    await memo.load('a');
    await memo.load('b');
    await memo.load('a'); // a is now the most recently used
    await memo.load('c'); // b goes
    await memo.load('a');
    await memo.load('b');
    expect(source.calls).toEqual(['a', 'b', 'c', 'b']);
  });

  it('does not keep a failed load', async () => {
    let down = true;
    const source = counting(() => down);
    const memo = memoisedSource(source, async (id) => id);
    await expect(memo.load('a')).rejects.toThrow('source down');
    down = false;
    expect((await memo.load('a')).charts).toHaveLength(1);
    expect(source.calls).toEqual(['a', 'a']);
  });
});
