/**
 * Entry of the SQLite writer thread (see SqliteWriterThread): one connection, one appender,
 * messages handled in arrival order. A failure to open the file throws, which ends the thread:
 * the store fails the writes in flight as an outage and starts a new thread for the next one.
 */
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { SqliteAppender } from './sqlite.appender';
import { openSqlite } from './sqlite.connection';
import type { SerializedCall } from './sqlite.serialized-appends';
import type { WriterThreadData, WriterThreadRequest } from './sqlite.writer-thread';

const port = parentPort!;
const { path, busyTimeoutMs } = workerData as WriterThreadData;
const db = openSqlite(path, busyTimeoutMs);
const appender = new SqliteAppender(db);

port.on('message', (request: WriterThreadRequest) => {
  // The calls posted while the last transaction was written wait in the port: they share the
  // next one (group commit), taken up to a close, which comes last.
  const calls: SerializedCall[] = [];
  let closing = false;
  for (let next: WriterThreadRequest | undefined = request; next;) {
    if (next.kind === 'close') {
      closing = true;
      break;
    }
    calls.push(...next.calls);
    next = (receiveMessageOnPort(port) as { message: WriterThreadRequest } | undefined)?.message;
  }
  if (calls.length > 0) port.postMessage(appender.write(calls));
  if (closing) {
    db.close();
    port.close();
  }
});
