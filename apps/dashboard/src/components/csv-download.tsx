import { useState } from 'preact/hooks';
import { describeError, getCsv } from '../api.client';

/**
 * A button that downloads `path` as CSV (the current filter, every page) under `fileName`,
 * fetched with the key in its header (a plain link could not send it), and says how it went.
 */
export function CsvDownload({ path, fileName }: { path: string; fileName: string }) {
  const [status, setStatus] = useState<string | null>(null);
  const download = async () => {
    setStatus('Preparing the CSV file…');
    try {
      const blob = await getCsv(path);
      const link = document.createElement('a');
      link.href = URL.createObjectURL(blob);
      link.download = fileName;
      document.body.append(link);
      link.click();
      link.remove();
      // Revoked later, not at once: the browser reads the blob after click() returns.
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
      setStatus('CSV file downloaded.');
    } catch (error) {
      setStatus(`The CSV file could not be made: ${describeError(error)}`);
    }
  };
  return (
    <>
      <button type="button" onClick={() => void download()}>
        Download CSV of this filter
      </button>
      {status && (
        <span role="status" class="note">
          {status}
        </span>
      )}
    </>
  );
}
