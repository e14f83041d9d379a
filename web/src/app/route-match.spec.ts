import { isUuid, matchRoute, uiUrl } from '@/app/route-match';

describe('routes', () => {
  it('maps /ui URLs to pages and their params', () => {
    expect(matchRoute('/ui')).toEqual({ page: 'overview', params: {} });
    expect(matchRoute('/ui/')).toEqual({ page: 'overview', params: {} });
    expect(matchRoute('/ui/models/abc')).toEqual({ page: 'model', params: { modelId: 'abc' } });
    expect(matchRoute('/ui/models/abc/drift')).toEqual({ page: 'drift', params: { modelId: 'abc' } });
    expect(matchRoute('/ui/ab-tests/t1')).toEqual({ page: 'abTest', params: { testId: 't1' } });
    expect(matchRoute('/ui/alerts')).toEqual({ page: 'alerts', params: {} });
    expect(matchRoute('/ui/compare')).toEqual({ page: 'compare', params: {} });
    expect(matchRoute('/ui/nope').page).toBe('notFound');
    expect(matchRoute('/other').page).toBe('notFound');
  });

  it('builds one URL per view: parameters sorted, empty ones dropped', () => {
    expect(uiUrl('/models/m', { range: '7d', bucket: undefined, metricName: 'accuracy', environment: '' })).toBe(
      '/ui/models/m?metricName=accuracy&range=7d',
    );
    expect(uiUrl('/', {})).toBe('/ui');
  });

  it('recognises UUIDs', () => {
    expect(isUuid('6f1c2b3a-1111-4222-8333-444455556666')).toBe(true);
    expect(isUuid('not-a-uuid')).toBe(false);
  });
});
