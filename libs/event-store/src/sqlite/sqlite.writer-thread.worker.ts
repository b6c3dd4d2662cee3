/**
 * Entry of the SQLite writer thread (see SqliteWriterThread): one connection, one appender,
 * messages handled one at a time in arrival order. A failure to open the file throws, which
 * ends the thread: the store fails the writes in flight as an outage and starts a new thread
 * for the next one.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SqliteAppender } from './sqlite.appender';
import { openSqlite } from './sqlite.connection';
import type { WriterThreadData, WriterThreadRequest } from './sqlite.writer-thread';

const port = parentPort!;
const { path, busyTimeoutMs } = workerData as WriterThreadData;
const db = openSqlite(path, busyTimeoutMs);
const appender = new SqliteAppender(db);

port.on('message', (request: WriterThreadRequest) => {
  if (request.kind === 'write') {
    port.postMessage(appender.write(request.calls));
    return;
  }
  db.close();
  port.close();
});
