export interface OutboundMessage {
  readonly key: string | Buffer | null;
  readonly value: string | Buffer | null;
  readonly headers?: Readonly<Record<string, string | Buffer>>;
}

/** Sends messages to a topic, acknowledged by every in-sync replica before it resolves. */
export interface MessagePublisher {
  connect(): Promise<void>;
  publish(topic: string, messages: readonly OutboundMessage[]): Promise<void>;
  disconnect(): Promise<void>;
}
