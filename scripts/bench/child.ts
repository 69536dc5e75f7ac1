import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * A helper process of the bench (receiver, WebSocket clients), forked with tsx and an IPC channel.
 * Requests carry a `reqId`; the answer with the same `reqId` resolves them.
 */
export class Child<Command extends object, Message extends { type: string }> {
  readonly #proc: ChildProcess;
  readonly #pending = new Map<number, (m: Message) => void>();
  readonly #listeners = new Set<(m: Message) => void>();
  #nextId = 1;
  #exited = false;

  constructor(moduleUrl: URL, name: string, execArgv: string[] = []) {
    this.#proc = fork(fileURLToPath(moduleUrl), [], {
      execArgv: [...execArgv, '--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced',
    });
    this.#proc.on('message', (m: Message & { reqId?: number }) => {
      if (m.reqId !== undefined) {
        const resolve = this.#pending.get(m.reqId);
        this.#pending.delete(m.reqId);
        resolve?.(m);
      }
      for (const l of this.#listeners) l(m);
    });
    this.#proc.once('exit', (code, signal) => {
      this.#exited = true;
      const why = new Error(`bench ${name} process exited (${signal ?? code})`);
      for (const resolve of this.#pending.values()) resolve({ type: 'error', error: why } as never);
      this.#pending.clear();
    });
  }

  get pid(): number {
    return this.#proc.pid ?? -1;
  }

  send(command: Command): void {
    if (!this.#exited) this.#proc.send(command);
  }

  /** Sends a command that carries `reqId` and waits for the answer that names it. */
  request<T extends Message>(command: Command & { reqId?: number }): Promise<T> {
    const reqId = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(reqId, (m) => {
        const error = (m as { error?: Error }).error;
        if (error) reject(error);
        else resolve(m as T);
      });
      this.send({ ...command, reqId });
    });
  }

  /** The first message of this type. */
  once<T extends Message>(type: T['type'], timeoutMs = 60_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#listeners.delete(listener);
        reject(new Error(`no "${type}" message from the bench child within ${timeoutMs} ms`));
      }, timeoutMs);
      const listener = (m: Message) => {
        if (m.type !== type) return;
        clearTimeout(timer);
        this.#listeners.delete(listener);
        resolve(m as T);
      };
      this.#listeners.add(listener);
    });
  }

  on(listener: (m: Message) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async stop(): Promise<void> {
    if (this.#exited) return;
    const exited = new Promise<void>((resolve) => this.#proc.once('exit', () => resolve()));
    this.#proc.kill('SIGTERM');
    const timer = setTimeout(() => this.#proc.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
}
