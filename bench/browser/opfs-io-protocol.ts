// Messages between the bench page and its OPFS I/O worker (opfs-io.worker.ts).

export type IoRequest =
  | { id: number; op: 'generate'; folder: string; count: number; seed: number }
  | {
      id: number;
      op: 'write';
      folder: string;
      name: string;
      bytes: ArrayBuffer;
      /** The file is bytes[offset, offset + length) (a view into a larger buffer); default all. */
      offset?: number;
      length?: number;
    }
  | {
      id: number;
      op: 'copy';
      from: string;
      to: string;
      paths: string[];
      lanes: number;
      /** 'sync' reads through a sync access handle (OPFS only); 'file' as the app reads a picked File. */
      read?: 'sync' | 'file';
    };

/** `paths`: the files a 'generate' request wrote, relative to its folder. */
export type IoReply =
  | { id: number; ok: true; bytes: number; paths: string[] }
  | { id: number; ok: false; error: string };

type Body<R> = R extends unknown ? Omit<R, 'id'> : never;

/** A promise-per-request face over one I/O worker. */
export class IoWorker {
  #worker: Worker;
  #next = 0;
  #waiting = new Map<
    number,
    { resolve: (reply: { bytes: number; paths: string[] }) => void; reject: (e: Error) => void }
  >();

  constructor(url: URL) {
    this.#worker = new Worker(url, { type: 'module', name: 'opfs-io' });
    this.#worker.onmessage = (event: MessageEvent<IoReply>) => {
      const reply = event.data;
      const waiter = this.#waiting.get(reply.id);
      this.#waiting.delete(reply.id);
      if (reply.ok) waiter?.resolve(reply);
      else waiter?.reject(new Error(reply.error));
    };
    this.#worker.onerror = (event) => {
      for (const waiter of this.#waiting.values())
        waiter.reject(new Error(`I/O worker failed: ${event.message}`));
      this.#waiting.clear();
    };
  }

  /** Sends one request; `transfer` buffers move to the worker. Resolves with the bytes handled. */
  async send(body: Body<IoRequest>, transfer: Transferable[] = []): Promise<number> {
    return (await this.request(body, transfer)).bytes;
  }

  /** The same, with the paths a 'generate' request wrote. */
  request(
    body: Body<IoRequest>,
    transfer: Transferable[] = [],
  ): Promise<{ bytes: number; paths: string[] }> {
    const id = ++this.#next;
    return new Promise((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      this.#worker.postMessage({ ...body, id }, transfer);
    });
  }

  terminate(): void {
    this.#worker.terminate();
  }
}
