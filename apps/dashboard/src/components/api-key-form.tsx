import { useState } from 'preact/hooks';

/** Asks for the API key once; the key goes to sessionStorage, never into the URL. */
export function ApiKeyForm({ onKey, reason }: { onKey: (key: string) => void; reason?: string }) {
  const [key, setKey] = useState('');
  return (
    <main id="main" class="key-form">
      <h1>Rapport analyst dashboard</h1>
      {reason && (
        <p role="alert" class="status error">
          {reason}
        </p>
      )}
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (key.trim()) onKey(key.trim());
        }}
      >
        <label for="api-key">API key (analyst or admin)</label>
        <input
          id="api-key"
          name="apiKey"
          type="password"
          autocomplete="off"
          required
          value={key}
          onInput={(e) => setKey(e.currentTarget.value)}
        />
        <button type="submit">Open the dashboard</button>
        <p class="note">
          The key is kept in this browser tab only (session storage) and sent as an Authorization
          header.
        </p>
      </form>
    </main>
  );
}
