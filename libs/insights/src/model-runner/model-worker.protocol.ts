import type { BgNbdTimeUnit } from '@rapport/analytics';
import type { InsightsOptions } from '../population';
import type { PopulationColumns } from './population-columns';

/** Main thread → model worker. Inputs arrive in pages so no single copy stalls the sender. */
export type ModelJobRequest =
  | { readonly kind: 'add'; readonly job: number; readonly items: readonly unknown[] }
  | { readonly kind: 'add-columns'; readonly job: number; readonly columns: PopulationColumns }
  | { readonly kind: 'model'; readonly job: number; readonly settings: InsightsOptions }
  | { readonly kind: 'fit'; readonly job: number; readonly unit: BgNbdTimeUnit }
  | { readonly kind: 'drop'; readonly job: number };

/** Model worker → main thread. */
export type ModelJobReply =
  | {
      readonly kind: 'done';
      readonly job: number;
      readonly result: unknown;
      readonly threadId: number;
    }
  | { readonly kind: 'failed'; readonly job: number; readonly message: string };
