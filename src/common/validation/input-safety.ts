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

/**
 * The first unsafe spot in a parsed JSON value (or query/path value), or null. `root` names the value
 * ('' for a body, whose members are then named directly). Linear in the size of the value, no recursion.
 */
export function findUnsafeInput(value: unknown, root = '', maxDepth = MAX_INPUT_DEPTH): FieldError | null {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: root, depth: 0 }];
  while (stack.length > 0) {
    const { value: current, path, depth } = stack.pop()!;
    if (typeof current === 'string') {
      const problem = textProblem(current);
      if (problem) return { field: path || 'body', message: problem };
      continue;
    }
    // typed arrays (samples packed by the body-parsing worker) hold numbers only: nothing to check, and millions of keys
    if (typeof current !== 'object' || current === null || ArrayBuffer.isView(current)) continue;
    if (depth >= maxDepth) return { field: path || 'body', message: `nests deeper than ${maxDepth} levels` };
    if (Array.isArray(current)) {
      for (let index = 0; index < current.length; index++) {
        const item: unknown = current[index];
        // Numbers dominate large bodies (samples): skip them without building a path.
        if (typeof item === 'string') {
          const problem = textProblem(item);
          if (problem) return { field: childPath(path, index), message: problem };
        } else if (typeof item === 'object' && item !== null) {
          stack.push({ value: item, path: childPath(path, index), depth: depth + 1 });
        }
      }
      continue;
    }
    for (const key of Object.keys(current)) {
      const keyProblem = textProblem(key);
      if (keyProblem) return { field: childPath(path, key), message: `keys ${keyProblem}` };
      stack.push({ value: (current as Record<string, unknown>)[key], path: childPath(path, key), depth: depth + 1 });
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
