import type { KafkaConfig } from '@rapport/config';

/** Exponential backoff per partition: doubles with each consecutive failure, up to a ceiling. */
export class RetryBackoff {
  private readonly failures = new Map<string, number>();

  constructor(private readonly policy: KafkaConfig['retry']) {}

  /** Records a failure and returns how long to wait before the next attempt. */
  failed(topic: string, partition: number): number {
    const key = `${topic}\u0000${partition}`;
    const count = (this.failures.get(key) ?? 0) + 1;
    this.failures.set(key, count);
    return Math.min(this.policy.maxBackoffMs, this.policy.initialBackoffMs * 2 ** (count - 1));
  }

  succeeded(topic: string, partition: number): void {
    this.failures.delete(`${topic}\u0000${partition}`);
  }
}
