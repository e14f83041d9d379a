import { findUnsafeInput, jsonDepth } from 'src/common/validation/input-safety';

describe('findUnsafeInput', () => {
  const nest = (depth: number): unknown => {
    let value: unknown = 1;
    for (let level = 0; level < depth; level++) value = level % 2 ? { a: value } : [value];
    return value;
  };

  it('accepts ordinary text, including surrogate pairs (emoji)', () => {
    expect(findUnsafeInput({ name: 'model 🚀', tags: ['é', 'x'], nested: { deep: [{ text: 'ok' }] } })).toBeNull();
  });

  it('names the first NUL or lone surrogate, in values and in keys', () => {
    expect(findUnsafeInput({ a: { b: ['ok', 'x\u0000'] } })).toEqual({ field: 'a.b[1]', message: expect.stringMatching(/NUL/) });
    expect(findUnsafeInput({ a: '\udc00' })).toEqual({ field: 'a', message: expect.stringMatching(/surrogate/) });
    expect(findUnsafeInput({ 'odd key': { 'k\u0000': 1 } })?.field).toBe('odd key["k\\u0000"]');
    expect(findUnsafeInput('a\u0000', 'tag')).toEqual({ field: 'tag', message: expect.stringMatching(/NUL/) });
  });

  it('bounds depth without recursion, even at 1,000,000 levels', () => {
    expect(findUnsafeInput(nest(32))).toBeNull();
    expect(findUnsafeInput(nest(33))?.message).toMatch(/deeper than 32/);
    expect(findUnsafeInput(nest(1_000_000))?.message).toMatch(/deeper than 32/);
    expect(jsonDepth(nest(1_000_000), 10)).toBe(11);
  });
});
