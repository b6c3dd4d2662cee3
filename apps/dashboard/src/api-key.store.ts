const KEY = 'rapport.apiKey';

/**
 * The API key lives in sessionStorage: asked once per tab, gone when the tab closes, never in a
 * URL (where it would reach history, logs and Referer headers).
 */
export const apiKeyStore = {
  get(): string | null {
    return sessionStorage.getItem(KEY);
  },
  set(key: string): void {
    sessionStorage.setItem(KEY, key);
  },
  clear(): void {
    sessionStorage.removeItem(KEY);
  },
};
