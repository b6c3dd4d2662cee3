/** The at-risk list's filter, sort and page as the query string of GET /v1/at-risk. */
export interface AtRiskFilter {
  readonly tier: '' | 'A' | 'B' | 'C';
  readonly minBand: 'medium' | 'high';
  readonly sort: 'valueAtRisk' | 'risk' | 'revenue' | 'lastSeen';
  readonly order: 'asc' | 'desc';
}

export const DEFAULT_AT_RISK_FILTER: AtRiskFilter = {
  tier: '',
  minBand: 'medium',
  sort: 'valueAtRisk',
  order: 'desc',
};

export const AT_RISK_PAGE_SIZE = 50;

export function atRiskPath(
  filter: AtRiskFilter,
  page: { cursor?: string; limit?: number; csv?: boolean } = {},
): string {
  const query = new URLSearchParams();
  query.set('minBand', filter.minBand);
  if (filter.tier) query.set('tier', filter.tier);
  query.set('sort', filter.sort);
  query.set('order', filter.order);
  if (page.csv) query.set('format', 'csv');
  else query.set('limit', String(page.limit ?? AT_RISK_PAGE_SIZE));
  if (page.cursor) query.set('cursor', page.cursor);
  return `/v1/at-risk?${query.toString()}`;
}
