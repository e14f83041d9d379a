/** Alerts view logic: alerts → Sankey nodes and links (type → severity → outcome). Pure, unit-tested. */
import type { Alert } from '@/api/types';
import { humanize } from '@/app/format';

/** Who resolves an alert automatically (src/alerts: SYSTEM_ACTOR). */
export const SYSTEM_ACTOR = 'modelwatch';

export type Outcome = 'Still open' | 'Acknowledged' | 'Auto-resolved' | 'Resolved by a person';

export function outcomeOf(alert: Pick<Alert, 'status' | 'resolvedBy'>): Outcome {
  if (alert.status === 'resolved')
    return alert.resolvedBy === SYSTEM_ACTOR || alert.resolvedBy === null ? 'Auto-resolved' : 'Resolved by a person';
  if (alert.status === 'acknowledged') return 'Acknowledged';
  return 'Still open';
}

export interface Flow {
  nodes: string[];
  links: Array<{ source: string; target: string; value: number }>;
}

/** Node names carry their stage (type names and severities never collide with outcomes). */
export function alertFlow(alerts: ReadonlyArray<Pick<Alert, 'type' | 'severity' | 'status' | 'resolvedBy'>>): Flow {
  const links = new Map<string, number>();
  const nodes: string[] = [];
  const node = (name: string) => {
    if (!nodes.includes(name)) nodes.push(name);
    return name;
  };
  const add = (a: string, b: string) => links.set(`${a}\u0000${b}`, (links.get(`${a}\u0000${b}`) ?? 0) + 1);
  for (const alert of alerts) {
    const type = node(humanize(alert.type));
    const severity = node(`${humanize(alert.severity)} severity`);
    const outcome = node(outcomeOf(alert));
    add(type, severity);
    add(severity, outcome);
  }
  return {
    nodes,
    links: [...links.entries()].map(([key, value]) => {
      const [source, target] = key.split('\u0000');
      return { source, target, value };
    }),
  };
}
