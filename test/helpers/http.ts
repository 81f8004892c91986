import net from 'node:net';

/** Sends `requestLine` exactly as written (no URL library cleans it) and returns the raw response. */
export function rawRequest(port: number, target: string, host = '127.0.0.1'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = '';
    socket.setTimeout(5000, () => {
      socket.destroy();
      reject(new Error(`no response to ${target.slice(0, 60)} within 5 s`));
    });
    socket.on('connect', () => socket.write(`GET ${target} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`));
    socket.on('data', (chunk) => (data += chunk.toString('latin1')));
    socket.on('end', () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0);
      resolve({ status, body: data.slice(data.indexOf('\r\n\r\n') + 4) });
    });
    socket.on('error', reject);
  });
}

/** A Server-Sent Events listener that records every event it receives. */
export class EventLog {
  readonly events: Array<{ event: string; data: string }> = [];
  private readonly controller = new AbortController();
  private waiters: Array<() => void> = [];

  static async open(url: string): Promise<EventLog> {
    const log = new EventLog();
    const response = await fetch(url, { signal: log.controller.signal });
    void log.read(response.body!);
    return log;
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event) this.events.push({ event, data: data ?? '' });
          for (const wake of this.waiters.splice(0)) wake();
        }
      }
    } catch {
      // aborted by close()
    }
  }

  /** Waits for an event matching `test` among those not yet consumed. */
  async next(name: string, timeoutMs = 10_000, test: (data: string) => boolean = () => true): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.events.findIndex((event) => event.event === name && test(event.data));
      if (index !== -1) return this.events.splice(index, 1)[0]!.data;
      if (Date.now() > deadline) throw new Error(`no "${name}" event within ${timeoutMs} ms; saw ${JSON.stringify(this.events)}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  }

  close(): void {
    this.controller.abort();
  }
}
