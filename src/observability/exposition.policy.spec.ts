import { capSeries, negotiateExpositionFormat, routeLabel, statusClass, UNMATCHED_ROUTE } from 'src/observability/exposition.policy';

describe('negotiateExpositionFormat', () => {
  it('answers OpenMetrics to the Accept header Prometheus 2.42 sends, and the text format to plain clients', () => {
    expect(
      negotiateExpositionFormat(
        'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1',
      ),
    ).toBe('openmetrics');
    expect(negotiateExpositionFormat(undefined)).toBe('prometheus');
    expect(negotiateExpositionFormat('*/*')).toBe('prometheus');
    expect(negotiateExpositionFormat('text/plain;version=0.0.4')).toBe('prometheus');
    expect(negotiateExpositionFormat('Application/OpenMetrics-Text')).toBe('openmetrics');
  });

  it('weighs quality values: q=0 refuses, the higher q wins, a tie goes to OpenMetrics', () => {
    expect(negotiateExpositionFormat('application/openmetrics-text;q=0')).toBe('prometheus');
    expect(negotiateExpositionFormat('application/openmetrics-text;q=0.4,text/plain;q=0.9')).toBe('prometheus');
    expect(negotiateExpositionFormat('text/plain;q=0.5, application/openmetrics-text;q=0.5')).toBe('openmetrics');
    expect(negotiateExpositionFormat('application/openmetrics-text;q=abc')).toBe('prometheus');
  });
});

describe('statusClass', () => {
  it('keeps only the class of the status', () => {
    expect([200, 201, 304, 404, 413, 503, 99, 600].map(statusClass)).toEqual(['2xx', '2xx', '3xx', '4xx', '4xx', '5xx', 'other', 'other']);
  });
});

describe('routeLabel', () => {
  it('is the route template, or unmatched when no route handled the request', () => {
    expect(routeLabel('', '/api/v1/models/:modelId')).toBe('/api/v1/models/:modelId');
    expect(routeLabel('/ui', '/assets/:file')).toBe('/ui/assets/:file');
    expect(routeLabel('', undefined)).toBe(UNMATCHED_ROUTE);
    expect(routeLabel(undefined, /regex/)).toBe(UNMATCHED_ROUTE);
  });
});

describe('capSeries', () => {
  const rows = (family: string, count: number) => Array.from({ length: count }, (_, index) => `${family}${index}`);

  it('fills the budget family by family and counts what each family left out', () => {
    expect(
      capSeries(
        [
          { rows: rows('a', 2), available: 2 },
          { rows: rows('b', 3), available: 7 },
          { rows: rows('c', 4), available: 4 },
        ],
        4,
      ),
    ).toEqual([
      { rows: ['a0', 'a1'], dropped: 0 },
      { rows: ['b0', 'b1'], dropped: 5 },
      { rows: [], dropped: 4 },
    ]);
  });

  it('keeps everything under the budget, and nothing with a budget of 0', () => {
    expect(capSeries([{ rows: rows('a', 2), available: 2 }], 10)).toEqual([{ rows: ['a0', 'a1'], dropped: 0 }]);
    expect(capSeries([{ rows: rows('a', 1), available: 3 }], 0)).toEqual([{ rows: [], dropped: 3 }]);
  });
});
