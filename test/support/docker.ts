let dockerAnswer: Promise<boolean> | undefined;

/** Whether testcontainers can reach a Docker engine (asked once per test process). */
export function dockerAvailable(): Promise<boolean> {
  dockerAnswer ??= (async () => {
    try {
      const { getContainerRuntimeClient } = await import('testcontainers');
      await getContainerRuntimeClient();
      return true;
    } catch {
      return false;
    }
  })();
  return dockerAnswer;
}
