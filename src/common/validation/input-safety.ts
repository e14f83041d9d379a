/**
 * The limits every request value obeys before any DTO sees it: body, query and path values alike.
 * Pure: no framework. Applied once, by the global validation pipe (validation.ts), so no field can forget it.
 *
 * - No NUL (U+0000) and no lone UTF-16 surrogate in any string or object key: PostgreSQL refuses both (text
 *   cannot hold NUL; jsonb refuses `\u0000` and unpaired `\ud800`), so they would otherwise surface as a 500.
 * - Nesting at most MAX_INPUT_DEPTH levels: checked here, iteratively, BEFORE class-transformer and
 *   class-validator recurse into the value (2,000 levels overflow their stack).
 * Free-form JSON objects (metadata, hyperparameters, details) have tighter limits: see FREE_FORM_LIMITS.
 */
import type { FieldError } from 'src/common/errors/domain-error';

/** Deepest nesting of a whole body (the deepest DTO nests 4 levels; free-form objects add at most FREE_FORM_LIMITS.maxDepth). */
export const MAX_INPUT_DEPTH = 32;

/** Limits on free-form JSON objects (metadata, hyperparameters, details): nesting levels and serialized size. */
export const FREE_FORM_LIMITS = { maxDepth: 10, maxBytes: 64 * 1024 } as const;

function textProblem(text: string): string | null {
  if (text.includes('\u0000')) return 'must not contain NUL (\\u0000) characters';
  if (!(text as string & { isWellFormed(): boolean }).isWellFormed()) return 'must not contain unpaired UTF-16 surrogates';
  return null;
}

function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  const quoted = JSON.stringify(key);
  if (parent === '') return quoted.slice(1, -1) === key ? key : quoted;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${parent}.${key}` : `${parent}[${quoted}]`;
}

/** A value still to visit, and where it sits: its path is built only when a problem is found there. */
interface Visit {
  value: unknown;
  parent: Visit | null;
  key: string | number | null;
  depth: number;
}

function pathOf(visit: Visit, root: string): string {
  const keys: (string | number)[] = [];
  for (let at: Visit | null = visit; at !== null && at.key !== null; at = at.parent) keys.push(at.key);
  let path = root;
  for (let i = keys.length - 1; i >= 0; i--) path = childPath(path, keys[i]);
  return path;
}

/**
 * The first unsafe spot in a parsed JSON value (or query/path value), or null. `root` names the value
 * ('' for a body, whose members are then named directly). Linear in the size of the value, no recursion; the
 * field path is built for the problem only (building one per member cost ~20 µs per metric point).
 */
export function findUnsafeInput(value: unknown, root = '', maxDepth = MAX_INPUT_DEPTH): FieldError | null {
  const stack: Visit[] = [{ value, parent: null, key: null, depth: 0 }];
  const at = (visit: Visit, key: string | number): string => childPath(pathOf(visit, root), key);
  while (stack.length > 0) {
    const visit = stack.pop()!;
    const { value: current, depth } = visit;
    if (typeof current === 'string') {
      const problem = textProblem(current);
      if (problem) return { field: pathOf(visit, root) || 'body', message: problem };
      continue;
    }
    // typed arrays (samples packed by the body-parsing worker) hold numbers only: nothing to check, and millions of keys
    if (typeof current !== 'object' || current === null || ArrayBuffer.isView(current)) continue;
    if (depth >= maxDepth) return { field: pathOf(visit, root) || 'body', message: `nests deeper than ${maxDepth} levels` };
    if (Array.isArray(current)) {
      for (let index = 0; index < current.length; index++) {
        const item: unknown = current[index];
        // Numbers dominate large bodies (samples): skip them without a visit.
        if (typeof item === 'string') {
          const problem = textProblem(item);
          if (problem) return { field: at(visit, index), message: problem };
        } else if (typeof item === 'object' && item !== null) {
          stack.push({ value: item, parent: visit, key: index, depth: depth + 1 });
        }
      }
      continue;
    }
    for (const key of Object.keys(current)) {
      const keyProblem = textProblem(key);
      if (keyProblem) return { field: at(visit, key), message: `keys ${keyProblem}` };
      const member = (current as Record<string, unknown>)[key];
      if (typeof member === 'string') {
        const problem = textProblem(member);
        if (problem) return { field: at(visit, key), message: problem };
      } else if (typeof member === 'object' && member !== null) {
        stack.push({ value: member, parent: visit, key, depth: depth + 1 });
      }
    }
  }
  return null;
}

/** Nesting depth of a JSON value (0 for a scalar), iteratively; stops counting past `limit`. */
export function jsonDepth(value: unknown, limit: number): number {
  let deepest = 0;
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const { value: current, depth } = stack.pop()!;
    if (typeof current !== 'object' || current === null || ArrayBuffer.isView(current)) continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > limit) return deepest;
    for (const item of Array.isArray(current) ? current : Object.values(current)) stack.push({ value: item, depth: depth + 1 });
  }
  return deepest;
}
