import type { Touchpoint } from '@rapport/domain';
import type { CustomerBatch } from './customer-batch';

export interface CustomerGroups {
  /** One batch per customer, in order of first appearance; arrival order kept within each. */
  readonly batches: CustomerBatch[];
  /** For each batch, the index in the input of each of its touchpoints. */
  readonly indexes: number[][];
}

/** The recorder decides a customer's touchpoints together, in arrival order. */
export function groupByCustomer(touchpoints: readonly Touchpoint[]): CustomerGroups {
  const byCustomer = new Map<string, { touchpoints: Touchpoint[]; indexes: number[] }>();
  touchpoints.forEach((touchpoint, index) => {
    const group = byCustomer.get(touchpoint.customerId);
    if (group) {
      group.touchpoints.push(touchpoint);
      group.indexes.push(index);
    } else byCustomer.set(touchpoint.customerId, { touchpoints: [touchpoint], indexes: [index] });
  });
  const batches: CustomerBatch[] = [];
  const indexes: number[][] = [];
  for (const [customerId, group] of byCustomer) {
    batches.push({ customerId, touchpoints: group.touchpoints });
    indexes.push(group.indexes);
  }
  return { batches, indexes };
}
