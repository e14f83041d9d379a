import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApiKey, ApiKeyScope } from 'src/config/env.validation';

const RANK: Record<ApiKeyScope, number> = { read: 1, write: 2, admin: 3 };

/** admin ⊇ write ⊇ read. */
export function scopeSatisfies(granted: ApiKeyScope, required: ApiKeyScope): boolean {
  return RANK[granted] >= RANK[required];
}

export function defaultScopeFor(method: string): ApiKeyScope {
  return ['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase()) ? 'read' : 'write';
}

/** Secrets are compared as SHA-256 digests with timingSafeEqual, so neither content nor length leaks through timing. */
export function findApiKey(keys: ApiKey[], presented: string): ApiKey | null {
  const presentedDigest = createHash('sha256').update(presented).digest();
  let match: ApiKey | null = null;
  for (const key of keys) {
    const digest = createHash('sha256').update(key.secret).digest();
    if (timingSafeEqual(digest, presentedDigest) && match === null) match = key;
  }
  return match;
}

/** `Authorization: Bearer <secret>` or `X-API-Key: <secret>`. */
export function presentedSecret(authorization: string | undefined, apiKeyHeader: string | undefined): string | null {
  if (authorization) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    return match ? match[1] : null;
  }
  return apiKeyHeader?.trim() || null;
}
