import { createSocket, type Socket } from 'node:dgram';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { WorkSignal as WorkSignalPort } from '../../domain/ports.js';

/**
 * Wakes the dispatchers of other processes on this SQLite file (so on this machine) the moment work is stored, so a worker
 * process starts deliveries at once instead of at its next poll (the poll stays, as the fallback
 * for a lost signal). Every listening worker binds a UDP socket on 127.0.0.1 and registers its port
 * as a file in a directory beside the database file; a process that stored work sends one empty datagram
 * to each registered port, at most once per event-loop turn. A datagram says only "look now": it
 * carries nothing, so a stray or forged one costs a worker one claim query and nothing else, and a
 * stale registration (a worker that died) costs a datagram nobody reads.
 */
export class WorkSignal implements WorkSignalPort {
  readonly #dir: string;
  readonly #socket: Socket;
  #file: string | null = null;
  #ports: number[] = [];
  /** The directory's modification time when the ports were read (a registration changes it). */
  #portsVersion = -1;
  #pending = false;
  #closed = false;

  constructor(dir: string) {
    this.#dir = dir;
    this.#socket = createSocket('udp4');
    // Nobody listening on a stale port answers with an ICMP error: nothing to do about it.
    this.#socket.on('error', () => {});
    this.#socket.unref();
  }

  /** Listens for signals; `onSignal` runs once per datagram. Registers this process. */
  async listen(owner: string, onSignal: () => void): Promise<void> {
    this.#socket.on('message', () => onSignal());
    await new Promise<void>((resolve, reject) => {
      this.#socket.once('error', reject);
      this.#socket.bind(0, '127.0.0.1', () => {
        this.#socket.off('error', reject);
        resolve();
      });
    });
    mkdirSync(this.#dir, { recursive: true });
    const file = join(this.#dir, `${owner.replace(/[^\w.-]/g, '_')}.port`);
    writeFileSync(file, String(this.#socket.address().port));
    this.#file = file;
  }

  /** Work was stored: wake every registered worker, once per event-loop turn however often asked. */
  notify(): void {
    if (this.#pending || this.#closed) return;
    this.#pending = true;
    setImmediate(() => {
      this.#pending = false;
      if (this.#closed) return;
      const own = this.#file ? this.#socket.address().port : -1;
      for (const port of this.#registered()) if (port !== own) this.#socket.send(EMPTY, port, '127.0.0.1');
    });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#file) rmSync(this.#file, { force: true });
    this.#socket.close();
  }

  /** The registered ports, read again only when a worker came or went (one stat per signal). */
  #registered(): number[] {
    let version: number;
    let names: string[];
    try {
      version = statSync(this.#dir).mtimeMs;
      if (version === this.#portsVersion) return this.#ports;
      names = readdirSync(this.#dir).filter((n) => n.endsWith('.port'));
    } catch {
      return [];
    }
    this.#portsVersion = version;
    this.#ports = names.flatMap((name) => {
      try {
        const port = Number(readFileSync(join(this.#dir, name), 'utf8'));
        return Number.isInteger(port) && port > 0 && port < 65_536 ? [port] : [];
      } catch {
        return [];
      }
    });
    return this.#ports;
  }
}

const EMPTY = Buffer.alloc(0);
