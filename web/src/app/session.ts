/** Who the dashboard acts as (GET /auth/whoami), and what that allows. */
import { api, ApiError, credentials, type WhoAmI } from '@/api';

let current: WhoAmI | null = null;

export const session = {
  get: (): WhoAmI | null => current,
  /** null when the service wants a key and none (or a bad one) is stored. */
  async load(): Promise<WhoAmI | null> {
    try {
      const who = await api.auth.whoami();
      current = who.scope === null ? null : who;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        credentials.clear();
        current = null;
      } else throw error;
    }
    return current;
  },
  async signIn(key: string): Promise<WhoAmI> {
    const who = await api.auth.whoami(key);
    if (who.scope === null) throw new Error('The service did not recognise this key.');
    credentials.set(key);
    current = who;
    return who;
  },
  signOut(): void {
    credentials.clear();
    current = null;
  },
  canWrite: (): boolean => current?.scope === 'write' || current?.scope === 'admin',
  /** The name sent as `by` when acknowledging or resolving. */
  actor: (): string => current?.keyName ?? 'dashboard',
};
