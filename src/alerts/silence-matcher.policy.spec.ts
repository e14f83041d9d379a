import fc from 'fast-check';
import { MatcherOperator } from 'src/alerts/silence.enums';
import { matchesEverything, matchingSilences, regexError, silenceMatches, type SilenceMatcher } from 'src/alerts/silence-matcher.policy';

/**
 * The straightforward reference: Alertmanager's definition read literally, with JavaScript's own RegExp (safe on the
 * small generated patterns below, which use only syntax RE2 and JavaScript read the same way).
 */
function referenceMatches(matchers: SilenceMatcher[], labels: Record<string, string>): boolean {
  if (matchers.length === 0) return false;
  for (const matcher of matchers) {
    const value = Object.prototype.hasOwnProperty.call(labels, matcher.name) ? labels[matcher.name] : '';
    const regexMatches = () => new RegExp(`^(?:${matcher.value})$`).test(value);
    let ok: boolean;
    if (matcher.operator === '=') ok = value === matcher.value;
    else if (matcher.operator === '!=') ok = value !== matcher.value;
    else if (matcher.operator === '=~') ok = regexMatches();
    else ok = !regexMatches();
    if (!ok) return false;
  }
  return true;
}

const names = fc.constantFrom('model', 'type', 'severity', 'env', 'feature');
const values = fc.stringMatching(/^[ab]{0,3}$/);
/** Small patterns over {a, b}: literals, `.`, classes, groups with `|`, and the `*` `+` `?` quantifiers. */
const patterns: fc.Arbitrary<string> = fc.letrec<{ pattern: string }>((tie) => ({
  pattern: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom('a', 'b', '.', '[ab]', '[^a]', ''),
    fc.tuple(tie('pattern'), tie('pattern')).map(([left, right]) => left + right),
    fc.tuple(tie('pattern'), tie('pattern')).map(([left, right]) => `(${left}|${right})`),
    fc.tuple(tie('pattern'), fc.constantFrom('*', '+', '?')).map(([inner, quantifier]) => `(${inner})${quantifier}`),
  ),
})).pattern;
const matcher: fc.Arbitrary<SilenceMatcher> = fc.oneof(
  fc.record({ name: names, operator: fc.constantFrom(MatcherOperator.Equal, MatcherOperator.NotEqual), value: values }),
  fc.record({ name: names, operator: fc.constantFrom(MatcherOperator.Regex, MatcherOperator.NotRegex), value: patterns }),
);
const labelSets = fc.dictionary(names, values, { maxKeys: 5 });

describe('silence matchers', () => {
  it('agree with the reference definition on random matchers and label sets (property)', () => {
    fc.assert(
      fc.property(fc.array(matcher, { maxLength: 4 }), labelSets, (matchers, labels) => {
        expect(silenceMatches(matchers, labels)).toBe(referenceMatches(matchers, labels));
      }),
      { numRuns: 500 },
    );
  });

  it('select exactly the silences the reference selects, in order (property)', () => {
    const silences = fc.array(fc.record({ id: fc.uuid(), matchers: fc.array(matcher, { minLength: 1, maxLength: 3 }) }), { maxLength: 6 });
    fc.assert(
      fc.property(silences, labelSets, (list, labels) => {
        const expected = list.filter((silence) => referenceMatches(silence.matchers, labels)).map((silence) => silence.id);
        expect(matchingSilences(list, labels)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('anchor regexes at both ends, as Alertmanager does', () => {
    const regex = (value: string) => [{ name: 'env', operator: MatcherOperator.Regex, value }];
    expect(silenceMatches(regex('prod'), { env: 'production' })).toBe(false);
    expect(silenceMatches(regex('prod.*'), { env: 'production' })).toBe(true);
    expect(silenceMatches(regex('a|b'), { env: 'ab' })).toBe(false);
    expect(silenceMatches(regex('a|b'), { env: 'b' })).toBe(true);
  });

  it('treat a missing label as the empty value', () => {
    expect(silenceMatches([{ name: 'team', operator: MatcherOperator.NotEqual, value: 'ml' }], {})).toBe(true);
    expect(silenceMatches([{ name: 'team', operator: MatcherOperator.Regex, value: 'ml|' }], {})).toBe(true);
    expect(silenceMatches([{ name: 'team', operator: MatcherOperator.Equal, value: 'ml' }], {})).toBe(false);
  });

  it('refuse patterns that need backtracking and invalid syntax, and accept RE2 syntax', () => {
    expect(regexError('(?=a)b')).toMatch(/invalid or unsupported Perl syntax/);
    expect(regexError('(a)\\1')).not.toBeNull();
    expect(regexError('(unclosed')).toMatch(/missing closing \)/);
    expect(regexError('(a+)+$')).toBeNull(); // catastrophic for a backtracking engine; linear in RE2
    expect(regexError('drift_[a-z]+\\d{2,}')).toBeNull();
  });

  it('run a pathological pattern against a long value in linear time (matches, without hanging)', () => {
    const value = `${'a'.repeat(50_000)}!`;
    expect(silenceMatches([{ name: 'x', operator: MatcherOperator.Regex, value: '(a+)+' }], { x: value })).toBe(false);
    expect(silenceMatches([{ name: 'x', operator: MatcherOperator.Regex, value: '(a|aa)*!' }], { x: value })).toBe(true);
  });

  it('know when matchers would match an alert without labels', () => {
    expect(matchesEverything([{ name: 'env', operator: MatcherOperator.Regex, value: '.*' }])).toBe(true);
    expect(matchesEverything([{ name: 'env', operator: MatcherOperator.NotEqual, value: 'prod' }])).toBe(true);
    expect(
      matchesEverything([
        { name: 'env', operator: MatcherOperator.NotEqual, value: 'prod' },
        { name: 'model', operator: MatcherOperator.Equal, value: 'churn' },
      ]),
    ).toBe(false);
  });
});
