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
  const partial = partialAnswerNote(snapshot);
  if (partial) reasons.push(partial);
  return reasons.join('; ');
}

/**
 * Who a population answer leaves out although they are customers, or undefined when it leaves
 * out no one: customers whose revenue is in other currencies than the reporting one (counted per
 * currency), and customers excluded from the population (a parked view, facts that cannot be
 * derived). An answer that is partial says so even when it is not empty.
 */
export function partialAnswerNote(snapshot: InsightsSnapshot): string | undefined {
  const notes: string[] = [];
  if (snapshot.currencies?.note) notes.push(snapshot.currencies.note);
  const excluded = snapshot.excluded;
  if (excluded?.count) {
    const first = excluded.customers[0];
    notes.push(
      `${excluded.count.toLocaleString('en')} customers are left out of every population result` +
        (first ? ` (first: ${first.customerId}, ${first.reason})` : ''),
    );
  }
  return notes.length ? notes.join('; ') : undefined;
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
