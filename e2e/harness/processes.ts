// Child processes of the e2e suite (etcd, kube-apiserver, the controller, the
// Kong double): each runs in its own process group with its output in a log
// file, and every group still alive is killed when the test process exits,
// including on Ctrl-C, so no run leaves processes behind.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';
import process from 'node:process';

export interface StartProcessOptions {
  /** Short name for messages, e.g. `etcd`. */
  name: string;
  command: string;
  args: string[];
  /** stdout and stderr are appended here. */
  logFile: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export class ManagedProcess {
  readonly name: string;
  readonly logFile: string;
  readonly exited: Promise<ExitInfo>;
  private readonly child: ChildProcess;
  private exitInfo: ExitInfo | undefined;

  constructor(child: ChildProcess, options: StartProcessOptions) {
    this.child = child;
    this.name = options.name;
    this.logFile = options.logFile;
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        live.delete(this);
        resolve(this.exitInfo);
      });
    });
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error(`${this.name} has no pid`);
    return this.child.pid;
  }

  get running(): boolean {
    return this.exitInfo === undefined;
  }

  /** The process's output so far (for failure messages). */
  log(): string {
    try {
      return readFileSync(this.logFile, 'utf8');
    } catch {
      return '';
    }
  }

  /** Last `lines` lines of the log, to quote in an assertion message. */
  tail(lines = 40): string {
    return this.log().split('\n').slice(-lines - 1).join('\n');
  }

  /** Sends `signal` to the whole group; SIGKILL after `graceMs`. Resolves on exit. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 5000): Promise<ExitInfo> {
    if (!this.running) return this.exited;
    signalGroup(this.pid, signal);
    const timer = setTimeout(() => { signalGroup(this.pid, 'SIGKILL'); }, graceMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Kills the group at once, as a crash would. */
  kill(): Promise<ExitInfo> {
    return this.stop('SIGKILL', 0);
  }
}

const live = new Set<ManagedProcess>();

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

export function startProcess(options: StartProcessOptions): ManagedProcess {
  installExitHandlers();
  const fd = openSync(options.logFile, 'a');
  try {
    const child = spawn(options.command, options.args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', fd, fd],
      // Its own process group, so stop() reaches grandchildren too.
      detached: true,
    });
    const managed = new ManagedProcess(child, options);
    child.once('error', () => { /* reported through exited / the log */ });
    if (child.pid !== undefined) live.add(managed);
    return managed;
  } finally {
    closeSync(fd);
  }
}

const scratchDirs = new Set<string>();

/** A temp dir removed at exit if nobody removed it before (e.g. on Ctrl-C). */
export function removeAtExit(dir: string): void {
  installExitHandlers();
  scratchDirs.add(dir);
}

/** Kills every process group still running and removes scratch dirs (synchronous: safe in 'exit'). */
export function killAllProcesses(): void {
  for (const managed of live) signalGroup(managed.pid, 'SIGKILL');
  for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
  scratchDirs.clear();
}

let handlersInstalled = false;

function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.once('exit', killAllProcesses);
  // `on`, not `once`: mocha's wrapper forwards Ctrl-C as SIGINT and SIGTERM
  // right after the terminal's own SIGINT; with the listener gone, the next
  // signal would kill this process midway through the cleanup.
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    process.on(signal, () => {
      killAllProcesses();
      process.exit(code);
    });
  }
}
