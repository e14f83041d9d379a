import { decodeFloat8ArraySend } from 'src/common/pg-float8-array';
import { numericSampleOfSorted } from 'src/drift/sample.stats';
import {
  isPackedNumbers,
  parseSampleJson,
  SAMPLE_JSON_INLINE_BYTES,
  SampleJsonPool,
  type PackedNumbers,
} from 'src/common/http/sample-json';

const OPTIONS = { maxAbs: 1e15, arraySend: false };
const bytes = (value: unknown): Uint8Array => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));
const parsed = (value: unknown, options = OPTIONS): unknown => {
  const result = parseSampleJson(bytes(value), options);
  if (!result.ok) throw new Error(result.message);
  return result.body;
};

describe('parseSampleJson', () => {
  it('packs a numbers-and-nulls values array: finite values sorted, nulls counted, the rest of the body as sent', () => {
    const body = parsed('{"modelId":"m","current":{"features":[{"name":"age","values":[3,null,-1,2.5,-0,0]}]}}') as {
      modelId: string;
      current: { features: [{ name: string; values: PackedNumbers }] };
    };
    expect(body.modelId).toBe('m');
    const values = body.current.features[0].values;
    expect(isPackedNumbers(values)).toBe(true);
    expect([...values.sorted]).toEqual([-1, -0, 0, 2.5, 3]);
    expect(Object.is(values.sorted[1], -0)).toBe(true);
    expect(values.length).toBe(6);
    expect(values.missingCount).toBe(1);
    expect(values.arraySend).toBeUndefined();
  });

  it("builds the sorted values' binary float8[] parameter when asked", () => {
    const body = parsed({ features: [{ name: 'x', values: [0.1, 1e-7, 3] }] }, { ...OPTIONS, arraySend: true }) as {
      features: [{ values: PackedNumbers }];
    };
    expect([...decodeFloat8ArraySend(body.features[0].values.arraySend!)]).toEqual([1e-7, 0.1, 3]);
  });

  it('leaves categorical, mixed, all-null, empty and out-of-range arrays as sent, so validation sees them unchanged', () => {
    const body = parsed({
      features: [
        { name: 'a', type: 'categorical', values: [1, 2] },
        { name: 'b', values: [1, 'x'] },
        { name: 'c', values: [null, null] },
        { name: 'd', values: [] },
        { name: 'e', values: [1, 2e15] },
        { name: 'f', values: [true, 1] },
      ],
    }) as { features: Array<{ values: unknown }> };
    expect(body.features.map((feature) => feature.values)).toEqual([[1, 2], [1, 'x'], [null, null], [], [1, 2e15], [true, 1]]);
  });

  it('packs a top-level values array (one feature per request)', () => {
    expect(isPackedNumbers((parsed({ type: 'numerical', values: [2, 1] }) as { values: unknown }).values)).toBe(true);
  });

  it("refuses what express.json's strict mode refuses, with JSON.parse's message", () => {
    expect(parseSampleJson(bytes('"text"'), OPTIONS)).toEqual({ ok: false, message: expect.stringContaining("'\"'") });
    expect(parseSampleJson(bytes('{"a":'), OPTIONS)).toEqual({ ok: false, message: expect.stringMatching(/JSON/) });
    expect(parseSampleJson(bytes('  '), OPTIONS)).toEqual({ ok: true, body: {}, transfer: [] });
    expect(parsed('[1,2]')).toEqual([1, 2]);
  });
});

describe('SampleJsonPool', () => {
  const pool = new SampleJsonPool(1);

  it('parses a body over the inline size in a worker thread, with the same result as the inline path', async () => {
    const values = Array.from({ length: 120_000 }, (_, i) => (i % 7 === 0 ? null : Math.sin(i) * 1000));
    const body = bytes({
      features: [
        { name: 'x', values },
        { name: 'y', type: 'categorical', values: ['a', 'b'] },
      ],
    });
    expect(body.byteLength).toBeGreaterThan(SAMPLE_JSON_INLINE_BYTES);
    const inline = parseSampleJson(body, { ...OPTIONS, arraySend: true });
    const viaWorker = await pool.parse(new Uint8Array(body), { ...OPTIONS, arraySend: true });
    expect(viaWorker.ok).toBe(true);
    if (!viaWorker.ok || !inline.ok) return;
    const [workerFeature, inlineFeature] = [viaWorker.body, inline.body].map(
      (b) => (b as { features: Array<{ values: PackedNumbers }> }).features,
    );
    // a Float64Array made in the worker (jest's test realm has its own Float64Array, so no instanceof here)
    expect(Object.prototype.toString.call(workerFeature[0].values.sorted)).toBe('[object Float64Array]');
    expect([...workerFeature[0].values.sorted]).toEqual([...inlineFeature[0].values.sorted]);
    expect(workerFeature[0].values.missingCount).toBe(Math.ceil(120_000 / 7));
    // summarised in the worker by the same function's source, to the same bits as on the main thread
    expect(workerFeature[0].values.summary).toEqual(inlineFeature[0].values.summary);
    expect(workerFeature[0].values.summary).toEqual({
      mean: numericSampleOfSorted(inlineFeature[0].values.sorted).mean,
      std: numericSampleOfSorted(inlineFeature[0].values.sorted).std,
      distinctCount: numericSampleOfSorted(inlineFeature[0].values.sorted).distinctCount,
    });
    expect(Buffer.from(workerFeature[0].values.arraySend!).equals(Buffer.from(inlineFeature[0].values.arraySend!))).toBe(true);
    expect(workerFeature[1].values).toEqual(['a', 'b']);
  });

  it('answers a malformed big body with the parse error, and keeps serving', async () => {
    const broken = new Uint8Array(SAMPLE_JSON_INLINE_BYTES + 10).fill(0x20);
    broken[0] = 0x7b; // '{' then spaces: unterminated object
    expect(await pool.parse(broken, OPTIONS)).toEqual({ ok: false, message: expect.stringMatching(/JSON/) });
    const again = await pool.parse(bytes({ values: Array.from({ length: 200_000 }, (_, i) => i) }), OPTIONS);
    expect(again.ok).toBe(true);
  });
});
