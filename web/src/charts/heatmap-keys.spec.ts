import { HeatmapKeyGrid } from '@/charts/heatmap-keys';

describe('heatmap keyboard movement', () => {
  // rows (y, bottom = 0): y0 has x 0, 2, 5; y1 has none; y2 has x 1, 4
  const grid = new HeatmapKeyGrid([
    [5, 0],
    [0, 0],
    [2, 0],
    [4, 2],
    [1, 2],
  ]);

  it('starts on the newest cell of the top row', () => {
    expect(grid.start()).toEqual({ x: 4, y: 2 });
    expect(new HeatmapKeyGrid([]).start()).toBeNull();
  });

  it('← → step through the row’s cells with data and stop at its ends; Home / End jump', () => {
    expect(grid.move({ x: 2, y: 0 }, 'ArrowRight')).toEqual({ x: 5, y: 0 });
    expect(grid.move({ x: 2, y: 0 }, 'ArrowLeft')).toEqual({ x: 0, y: 0 });
    expect(grid.move({ x: 0, y: 0 }, 'ArrowLeft')).toEqual({ x: 0, y: 0 });
    expect(grid.move({ x: 5, y: 0 }, 'ArrowRight')).toEqual({ x: 5, y: 0 });
    expect(grid.move({ x: 2, y: 0 }, 'Home')).toEqual({ x: 0, y: 0 });
    expect(grid.move({ x: 2, y: 0 }, 'End')).toEqual({ x: 5, y: 0 });
  });

  it('↑ ↓ go to the nearest column of the next row that has cells, skipping empty rows', () => {
    expect(grid.move({ x: 4, y: 2 }, 'ArrowDown')).toEqual({ x: 5, y: 0 });
    expect(grid.move({ x: 1, y: 2 }, 'ArrowDown')).toEqual({ x: 0, y: 0 }); // tie 0 / 2: the earlier
    expect(grid.move({ x: 2, y: 0 }, 'ArrowUp')).toEqual({ x: 1, y: 2 });
    expect(grid.move({ x: 4, y: 2 }, 'ArrowUp')).toEqual({ x: 4, y: 2 });
    expect(grid.move({ x: 0, y: 0 }, 'ArrowDown')).toEqual({ x: 0, y: 0 });
  });

  it('other keys are not movements', () => {
    expect(grid.move({ x: 0, y: 0 }, 'Enter')).toBeNull();
    expect(grid.move({ x: 0, y: 0 }, 'a')).toBeNull();
  });
});
