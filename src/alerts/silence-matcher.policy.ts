/**
 * Silence matchers, evaluated here and nowhere else. Pure: no framework, no database.
 * Semantics are Alertmanager's (prometheus/alertmanager pkg/labels): a missing label has the empty value;
 * `=~` / `!~` match the whole value, i.e. the pattern is compiled as `^(?:pattern)$`; a silence applies when
 * every one of its matchers matches. Regexes run on RE2JS (RE2's linear-time automaton, the same syntax as
 * Alertmanager's Go regexp), so no pattern can backtrack catastrophically: look-arounds and back-references,
 * the constructs that need backtracking, do not compile and are refused.
 */
import { RE2JS } from 're2js';
import { MatcherOperator } from 'src/alerts/silence.enums';

export interface SilenceMatcher {
  name: string;
  operator: MatcherOperator;
  value: string;
}

/** The labels silences see: the alert's own labels, then `model` (its name), `model_id`, `type`, `severity` and `source`, which win. */
export function silenceableLabels(
  alert: { labels: Record<string, string>; modelId: string | null; type: string; severity: string; source: string },
  modelName: string,
): Record<string, string> {
  // an alert of no model (from Alertmanager) has empty model labels, as a missing label is in Alertmanager
  return {
    ...alert.labels,
    model: modelName,
    model_id: alert.modelId ?? '',
    type: alert.type,
    severity: alert.severity,
    source: alert.source,
  };
}

const COMPILED_LIMIT = 1000;
const compiled = new Map<string, RE2JS>();

/** Compiles (and caches, bounded) the anchored pattern; throws RE2JS's syntax error for an invalid one. */
function anchored(pattern: string): RE2JS {
  let regex = compiled.get(pattern);
  if (!regex) {
    regex = RE2JS.compile(`^(?:${pattern})$`);
    if (compiled.size >= COMPILED_LIMIT) compiled.delete(compiled.keys().next().value!);
    compiled.set(pattern, regex);
  }
  return regex;
}

/** Null when the pattern compiles in RE2 syntax, else why not (for a 400 naming the matcher). */
export function regexError(pattern: string): string | null {
  try {
    anchored(pattern);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

export function matcherMatches(matcher: SilenceMatcher, labels: Record<string, string>): boolean {
  const value = labels[matcher.name] ?? '';
  switch (matcher.operator) {
    case MatcherOperator.Equal:
      return value === matcher.value;
    case MatcherOperator.NotEqual:
      return value !== matcher.value;
    case MatcherOperator.Regex:
      return anchored(matcher.value).matches(value);
    case MatcherOperator.NotRegex:
      return !anchored(matcher.value).matches(value);
  }
}

/** A silence with no matchers matches nothing (and is refused at creation), as in Alertmanager. */
export function silenceMatches(matchers: readonly SilenceMatcher[], labels: Record<string, string>): boolean {
  return matchers.length > 0 && matchers.every((matcher) => matcherMatches(matcher, labels));
}

/** Ids of the silences whose matchers all match these labels, in the given order. */
export function matchingSilences(
  silences: readonly { id: string; matchers: readonly SilenceMatcher[] }[],
  labels: Record<string, string>,
): string[] {
  return silences.filter((silence) => silenceMatches(silence.matchers, labels)).map((silence) => silence.id);
}

/**
 * Alertmanager refuses a silence whose matchers all match the empty label set (it would silence every alert
 * that lacks those labels, usually everything); so does ModelWatch.
 */
export function matchesEverything(matchers: readonly SilenceMatcher[]): boolean {
  return matchers.every((matcher) => matcherMatches(matcher, {}));
}
