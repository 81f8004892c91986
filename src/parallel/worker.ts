import { parentPort } from 'node:worker_threads';
import { createShard } from './shard.js';
import type { Reply, Request } from './protocol.js';

/** A build worker thread: answers the main thread's requests about its shard of the posts. */
const handleRequest = createShard();
parentPort!.on('message', (request: Request) => {
  let reply: Reply;
  try {
    reply = handleRequest(request);
  } catch (error) {
    const { code, path, syscall } = (error instanceof Error ? error : {}) as NodeJS.ErrnoException;
    const system = typeof code === 'string' ? { code, path, syscall } : undefined;
    reply = { type: 'failed', message: error instanceof Error ? error.message : String(error), stack: error instanceof Error ? error.stack : undefined, system };
  }
  parentPort!.postMessage(reply);
});
