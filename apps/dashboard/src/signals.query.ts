/** The signals list's filter and page as the query string of GET /v1/signals. */
export const SIGNAL_RULE_NAMES = [
  'thank-you',
  'complaint-follow-up',
  'cancellation-save',
  'freezing-point',
  'tier-move',
  'win-back',
] as const;

export type SignalRuleName = (typeof SIGNAL_RULE_NAMES)[number];

export const SIGNAL_RULE_WORDS: Readonly<Record<SignalRuleName, string>> = {
  'thank-you': 'Thank-you',
  'complaint-follow-up': 'Complaint follow-up',
  'cancellation-save': 'Cancellation save',
  'freezing-point': 'Freezing point',
  'tier-move': 'Tier move',
  'win-back': 'Win-back',
};

export function signalRuleInWords(rule: string): string {
  return SIGNAL_RULE_WORDS[rule as SignalRuleName] ?? rule;
}

export interface SignalsFilter {
  readonly rule: '' | SignalRuleName;
  /** A customer id, as typed; blank: every customer. */
  readonly customer: string;
}

export const DEFAULT_SIGNALS_FILTER: SignalsFilter = { rule: '', customer: '' };

export const SIGNALS_PAGE_SIZE = 50;

export function signalsPath(
  filter: SignalsFilter,
  page: { cursor?: string; limit?: number; csv?: boolean } = {},
): string {
  const query = new URLSearchParams();
  if (filter.rule) query.set('rule', filter.rule);
  const customer = filter.customer.trim();
  if (customer) query.set('customer', customer);
  if (page.csv) query.set('format', 'csv');
  else query.set('limit', String(page.limit ?? SIGNALS_PAGE_SIZE));
  if (page.cursor) query.set('cursor', page.cursor);
  return `/v1/signals?${query.toString()}`;
}

export function isFiltered(filter: SignalsFilter): boolean {
  return filter.rule !== '' || filter.customer.trim() !== '';
}
