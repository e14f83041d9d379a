/**
 * Keyboard movement over a heatmap's cells with data (the cells a click can open): ← → to the previous / next cell
 * of the row, ↑ ↓ to the nearest cell (by column) of the next row up / down that has any, Home / End to the row's
 * first / last cell. y index 0 is the bottom row, as ECharts draws a category y axis. Pure, unit-tested.
 */
export interface CellPosition {
  x: number;
  y: number;
}

export class HeatmapKeyGrid {
  /** Per y: the x of its cells, ascending. */
  private readonly rows = new Map<number, number[]>();
  private readonly ys: number[];

  constructor(cells: ReadonlyArray<readonly [number, number, ...unknown[]]>) {
    for (const [x, y] of cells) {
      const row = this.rows.get(y) ?? [];
      row.push(x);
      this.rows.set(y, row);
    }
    for (const row of this.rows.values()) row.sort((a, b) => a - b);
    this.ys = [...this.rows.keys()].sort((a, b) => a - b);
  }

  /** Where focus starts: the newest cell of the top row with data; null when there is no cell. */
  start(): CellPosition | null {
    const y = this.ys.at(-1);
    if (y === undefined) return null;
    return { x: this.rows.get(y)!.at(-1)!, y };
  }

  /** The cell a key moves to (the same cell at an edge); null for a key that is not a movement. */
  move(from: CellPosition, key: string): CellPosition | null {
    const row = this.rows.get(from.y) ?? [];
    const at = row.indexOf(from.x);
    switch (key) {
      case 'ArrowLeft':
        return { x: row[Math.max(0, at - 1)] ?? from.x, y: from.y };
      case 'ArrowRight':
        return { x: row[Math.min(row.length - 1, at + 1)] ?? from.x, y: from.y };
      case 'Home':
        return { x: row[0] ?? from.x, y: from.y };
      case 'End':
        return { x: row.at(-1) ?? from.x, y: from.y };
      case 'ArrowUp':
      case 'ArrowDown': {
        const index = this.ys.indexOf(from.y) + (key === 'ArrowUp' ? 1 : -1);
        const y = this.ys[index];
        if (y === undefined) return from;
        return { x: nearest(this.rows.get(y)!, from.x), y };
      }
      default:
        return null;
    }
  }
}

/** The value of a sorted list closest to x (the earlier one on a tie). */
function nearest(sorted: readonly number[], x: number): number {
  let best = sorted[0];
  for (const value of sorted) if (Math.abs(value - x) < Math.abs(best - x)) best = value;
  return best;
}
