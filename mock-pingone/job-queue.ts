// A per-key job queue: jobs of one key run one after another, in the order queued; different keys run in
// parallel up to `concurrency`. Nothing waits on timers: `waitIdle` tells when every queued job has run.
// `abortAll` starts a new generation: queued jobs are dropped, jobs in flight see their signal abort and
// `isCurrent()` turn false, so their results can be discarded.

export interface JobContext {
  /** Aborted when the queue is reset while this job runs. */
  readonly signal: AbortSignal;
  /** False once the queue was reset after this job was queued: its result belongs to the old state. */
  isCurrent(): boolean;
}

export interface JobQueueOptions<J> {
  concurrency: number;
  run(job: J, context: JobContext): Promise<void>;
  /** A job that threw; only called while the job is still current. */
  onError(error: unknown, job: J): void;
}

export interface JobQueue<J> {
  enqueue(key: string, job: J): void;
  /** Resolves once nothing is queued or in flight; rejects after `timeoutMs`. */
  waitIdle(timeoutMs: number): Promise<void>;
  /** Jobs queued or in flight. */
  pending(): number;
  /** Drops every queue and aborts what is in flight (their results are discarded). */
  abortAll(reason: string): void;
  /** Aborts everything and wakes every `waitIdle`. */
  close(): void;
}

interface Entry<J> {
  job: J;
  generation: number;
}

export function createJobQueue<J>(options: JobQueueOptions<J>): JobQueue<J> {
  const queues = new Map<string, Entry<J>[]>();
  const ready: string[] = [];
  const running = new Set<string>();
  const waiters = new Set<() => void>();
  let generation = 0;
  let controller = new AbortController();

  const idle = () => running.size === 0 && ready.length === 0;
  const wakeAll = () => {
    for (const wake of [...waiters]) wake();
  };

  function pump(): void {
    while (running.size < options.concurrency && ready.length > 0) void runNext(ready.shift() as string);
  }

  async function runNext(key: string): Promise<void> {
    running.add(key);
    const entry = queues.get(key)?.shift();
    const isCurrent = () => entry?.generation === generation;
    try {
      if (entry) await options.run(entry.job, { signal: controller.signal, isCurrent });
    } catch (error) {
      if (entry && isCurrent()) options.onError(error, entry.job);
    } finally {
      running.delete(key);
      if ((queues.get(key)?.length ?? 0) > 0) ready.push(key);
      else queues.delete(key);
      pump();
      if (idle()) wakeAll();
    }
  }

  function pending(): number {
    let n = running.size;
    for (const queue of queues.values()) n += queue.length;
    return n;
  }

  function waitIdle(timeoutMs: number): Promise<void> {
    if (idle()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const wake = () => {
        clearTimeout(timer);
        waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(() => {
        waiters.delete(wake);
        reject(new Error(`provisioner: still busy after ${timeoutMs} ms (${pending()} change(s) queued or in flight)`));
      }, timeoutMs);
      waiters.add(wake);
    });
  }

  function abortAll(reason: string): void {
    generation++;
    controller.abort(new Error(reason));
    controller = new AbortController();
    queues.clear();
    ready.length = 0;
  }

  return {
    enqueue(key, job) {
      const queue = queues.get(key) ?? [];
      queue.push({ job, generation });
      queues.set(key, queue);
      if (!running.has(key) && !ready.includes(key)) ready.push(key);
      pump();
    },
    waitIdle,
    pending,
    abortAll,
    close() {
      abortAll('provisioner reset');
      wakeAll();
    },
  };
}
