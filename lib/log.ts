import { appendFileSync, existsSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { maskSecrets } from './secrets.ts';

// Logging like the fence-agents library: syslog always (when there is one), stderr unless
// quiet, every line to the debug file when one is set. Secrets (lib/secrets.ts) are masked in
// every sink.

export type Level = 'error' | 'warning' | 'info' | 'debug';
const SYSLOG_PRIORITY: Record<Level, number> = { error: 3, warning: 4, info: 6, debug: 7 };
const FACILITY_DAEMON = 3 << 3;

export interface LogConfig {
  tag: string;
  quiet?: boolean;
  verbose?: boolean;
  debugFile?: string;
  /** OCF agents print their own stderr lines; syslog/debug file still follow these rules. */
  stderr?: boolean;
  syslog?: boolean;
}

export class Logger {
  private config: LogConfig;
  private syslog: ChildProcess | undefined;
  private syslogFailed = false;

  constructor(config: LogConfig) {
    this.config = { stderr: true, syslog: true, ...config };
  }

  configure(update: Partial<LogConfig>): void {
    this.config = { ...this.config, ...update };
  }

  mask(text: string): string {
    return maskSecrets(text);
  }

  error(msg: string): void { this.write('error', msg); }
  warning(msg: string): void { this.write('warning', msg); }
  info(msg: string): void { this.write('info', msg); }
  debug(msg: string): void { this.write('debug', msg); }

  private write(level: Level, msg: string): void {
    const text = this.mask(msg);
    const line = `${timestamp()} ${level.toUpperCase()}: ${text}`;
    if (this.config.debugFile) {
      try { appendFileSync(this.config.debugFile, `${line}\n`, { mode: 0o600 }); } catch { /* best effort */ }
    }
    if (level === 'debug' && !this.config.verbose) return;
    if (this.config.stderr && !this.config.quiet) process.stderr.write(`${line}\n`);
    this.toSyslog(level, text);
  }

  // One `logger` child per process, started on the first message, fed line by line:
  // Node has no syslog client, and metadata/usage calls then start no child at all.
  private toSyslog(level: Level, text: string): void {
    if (!this.config.syslog || this.syslogFailed) return;
    if (!this.syslog) {
      if (!existsSync('/dev/log')) { this.syslogFailed = true; return; }
      // Loaded here, not at start-up: most runs (metadata, validate) never log to syslog.
      const { spawn } = process.getBuiltinModule('node:child_process');
      const child = spawn('logger', ['--prio-prefix', '-t', this.config.tag, '--id', String(process.pid)], {
        stdio: ['pipe', 'ignore', 'ignore'], env: { PATH: '/usr/bin:/bin:/usr/sbin:/sbin', LANG: 'C' },
      });
      child.on('error', () => { this.syslogFailed = true; });
      child.stdin?.on('error', () => { this.syslogFailed = true; });
      child.unref();
      this.syslog = child;
    }
    for (const l of text.split('\n')) this.syslog.stdin?.write(`<${FACILITY_DAEMON + SYSLOG_PRIORITY[level]}>${l}\n`);
  }

  /** Let the syslog child drain, bounded; call before exit. */
  async close(timeoutMs = 500): Promise<void> {
    const child = this.syslog;
    if (!child || child.exitCode !== null) return;
    child.stdin?.end();
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => { child.kill(); resolve(); }, timeoutMs);
      child.once('exit', () => { clearTimeout(timer); resolve(); });
    });
  }
}

function timestamp(): string {
  const d = new Date();
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())},${pad(d.getMilliseconds(), 3)}`;
}
