import type { InsightsSnapshot } from '@rapport/insights';

/**
 * Why a population answer is empty, in words an analyst can act on: no customers yet, revenue
 * only in other currencies than the reporting one, no model fitted. An empty answer never comes
 * without one of these.
 */
export function emptyAnswerReason(snapshot: InsightsSnapshot, what: string): string {
  const reasons = [
    snapshot.customers === 0
      ? 'no customers are known as of this instant'
      : `no customer of ${snapshot.customers.toLocaleString('en')} matches ${what}`,
  ];
  if (snapshot.currencies?.note) reasons.push(snapshot.currencies.note);
  return reasons.join('; ');
}

/** Why there are no CLVs, or undefined when there are (the spend or BG/NBD model is missing). */
export function missingValueReason(snapshot: InsightsSnapshot): string | undefined {
  const value = snapshot.model.value;
  if (!value)
    return 'these insights were computed before CLV existed: refresh them (POST /v1/model/fit)';
  if (!snapshot.model.fit) return `no CLV: no BG/NBD fit (${snapshot.fitNote ?? 'not fitted'})`;
  if (!value.spendFit) return `no CLV: no spend model (${value.spendFitNote ?? 'not fitted'})`;
  return undefined;
}
