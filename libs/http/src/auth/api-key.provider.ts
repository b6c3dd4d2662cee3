import { Logger, type FactoryProvider } from '@nestjs/common';
import { join } from 'node:path';
import { RAPPORT_CONFIG, type RapportConfig } from '@rapport/config';
import { API_KEY_AUTHENTICATOR, ApiKeyAuthenticator } from './api-key.authenticator';
import {
  API_KEYS_FILE_NAME,
  createApiKeysFile,
  generateApiKey,
  readApiKeysFile,
} from './api-keys.file';

type Config = Pick<RapportConfig, 'dataDir' | 'port' | 'http'>;

/**
 * Keys from RAPPORT_API_KEYS plus those in DATA_DIR/api-keys. On the very first start with
 * neither, one admin key is generated so the embedded default stays one command: its hash goes
 * to the file, the key itself to stderr, once, and never into the structured logs.
 */
export function loadApiKeys(
  config: Config,
  print: (text: string) => void = (text) => process.stderr.write(text),
): ApiKeyAuthenticator {
  const logger = new Logger('ApiKeys');
  const path = join(config.dataDir, API_KEYS_FILE_NAME);
  const fromFile = readApiKeysFile(path);
  if (fromFile === undefined && config.http.apiKeys.length === 0) {
    const generated = generateApiKey('admin');
    createApiKeysFile(path, [generated.stored], new Date());
    print(firstStartBanner(generated.plain, path, config.port));
    logger.warn(
      `no API keys were configured: generated admin key ${generated.stored.id} (printed once to stderr; hash in ${path})`,
    );
    return new ApiKeyAuthenticator([generated.stored]);
  }
  const keys = [...config.http.apiKeys, ...(fromFile ?? [])];
  if (keys.length === 0) {
    logger.warn(
      `${path} lists no keys and RAPPORT_API_KEYS is empty: every request but /health is refused`,
    );
  } else {
    logger.log(
      `${keys.length} API keys loaded (${config.http.apiKeys.length} from RAPPORT_API_KEYS)`,
    );
  }
  return new ApiKeyAuthenticator(keys);
}

export const apiKeyAuthenticatorProvider: FactoryProvider<ApiKeyAuthenticator> = {
  provide: API_KEY_AUTHENTICATOR,
  inject: [RAPPORT_CONFIG],
  useFactory: (config: RapportConfig) => loadApiKeys(config),
};

function firstStartBanner(key: string, path: string, port: number): string {
  const url = `http://localhost:${port || 3000}`;
  return [
    '',
    '================================================================================',
    ' Rapport generated an admin API key. It is shown only this once; only its hash',
    ` is kept (in ${path}).`,
    '',
    `   ${key}`,
    '',
    ' Use it like this:',
    `   curl -H "Authorization: Bearer ${key}" ${url}/v1/customers/C-1001`,
    ' Configure your own keys with RAPPORT_API_KEYS=<key>:<analyst|ingest|admin>,…',
    '================================================================================',
    '',
  ].join('\n');
}
