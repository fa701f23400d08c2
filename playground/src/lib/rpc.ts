// A SMALL RPC OVER postMessage
//
// The worker side `serve(api)` answers `{id, method, args}` with `{id, value}` or `{id, error}`;
// a method may report progress, which arrives as `{id, progress}`. The page side `WorkerClient`
// turns calls into promises and can cancel everything by terminating the worker (a new one starts
// on the next call), which is how a long simulation stops at once.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFn = (...args: any[]) => unknown;
export type Api = Record<string, AnyFn>;

export interface Context {
  progress(data: unknown): void;
}

type Request = { id: number; method: string; args: unknown[] };
type Response = { id: number; value?: unknown; error?: string; progress?: unknown };

/** Worker side: answers calls to the api's methods. The last argument passed to a method is the context. */
export function serve(api: Record<string, (...args: never[]) => unknown>): void {
  const post = (m: Response) => (self as unknown as { postMessage(m: unknown): void }).postMessage(m);
  self.addEventListener("message", async (event: MessageEvent<Request>) => {
    const { id, method, args } = event.data;
    const ctx: Context = { progress: (data) => post({ id, progress: data }) };
    try {
      const fn = api[method] as unknown as AnyFn | undefined;
      if (!fn) throw new Error(`no method ${method}`);
      post({ id, value: await fn(...args, ctx) });
    } catch (e) {
      post({ id, error: e instanceof Error ? e.message : String(e) });
    }
  });
}

export class Cancelled extends Error {
  constructor() {
    super("cancelled");
    this.name = "Cancelled";
  }
}

type Args<F> = F extends (...args: infer A) => unknown ? (A extends [...infer P, Context] ? P : A) : never;
type Result<F> = F extends (...args: never[]) => infer R ? Awaited<R> : never;

interface Pending {
  resolve(v: unknown): void;
  reject(e: unknown): void;
  onProgress?: (data: unknown) => void;
  /** Preparatory work (see `call`): it does not make the worker busy. */
  readonly background: boolean;
}

/** Page side: a typed client of one worker's api. */
export class WorkerClient<A> {
  private worker: Worker | undefined;
  private next = 1;
  private pending = new Map<number, Pending>();

  constructor(private readonly make: () => Worker) {}

  /**
   * Calls `method` in the worker. A `background` call is preparatory work that a later call may
   * wait behind but that does not count as the worker being busy.
   */
  call<K extends keyof A & string>(method: K, args: Args<A[K]>, onProgress?: (data: unknown) => void, options: { readonly background?: boolean } = {}): Promise<Result<A[K]>> {
    const worker = this.ensure();
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, background: options.background ?? false, ...(onProgress ? { onProgress } : {}) });
      worker.postMessage({ id, method, args });
    });
  }

  /** Starts the worker now (it otherwise starts on the first call), so it loads while the page does. */
  start(): void {
    this.ensure();
  }

  /** Whether a call other than a background one is under way. */
  get busy(): boolean {
    for (const p of this.pending.values()) if (!p.background) return true;
    return false;
  }

  /** Whether the worker has nothing to do at all. */
  get idle(): boolean {
    return this.pending.size === 0;
  }

  /** Stops the worker and everything it was doing; pending calls reject with `Cancelled`. */
  cancel(): void {
    this.worker?.terminate();
    this.worker = undefined;
    for (const p of this.pending.values()) p.reject(new Cancelled());
    this.pending.clear();
  }

  dispose(): void {
    this.cancel();
  }

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const worker = this.make();
    worker.addEventListener("message", (event: MessageEvent<Response>) => {
      const { id, value, error, progress } = event.data;
      const p = this.pending.get(id);
      if (!p) return;
      if (progress !== undefined) return p.onProgress?.(progress);
      this.pending.delete(id);
      if (error !== undefined) p.reject(new Error(error));
      else p.resolve(value);
    });
    worker.addEventListener("error", (event) => {
      const message = event.message || "the worker failed to start";
      for (const p of this.pending.values()) p.reject(new Error(message));
      this.pending.clear();
      this.worker = undefined;
    });
    this.worker = worker;
    return worker;
  }
}
