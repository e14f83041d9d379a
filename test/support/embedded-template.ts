import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where a jest run's migrated embedded template lives (test-database writes it; global-teardown removes it). */
export function embeddedTemplatePath(runId: string): string {
  return join(tmpdir(), `mw_tpl_${runId}.tar`);
}
