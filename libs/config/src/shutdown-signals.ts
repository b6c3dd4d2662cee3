/**
 * The signals that stop a Rapport process gracefully (finish the batch in flight, commit,
 * leave the Kafka group, close the stores). Nest's enableShutdownHooks() with no list would
 * also stop on SIGUSR2 and the other signals tools send to a running Node process to ask for
 * a heap snapshot or a profile, taking the service down for a diagnostic.
 */
export const SHUTDOWN_SIGNALS: readonly string[] = ['SIGTERM', 'SIGINT', 'SIGHUP'];
