/**
 * The server's one logger. Messages go over `connection.console`, so they land in the
 * client's output channel (VS Code) or its LSP log (Neovim); the server never writes to
 * stdout, which carries the protocol under `--stdio`.
 */
import type { RemoteConsole } from 'vscode-languageserver/node';

export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;

export type LogLevel = (typeof LOG_LEVELS)[number];

/** Parses a level name, accepting VS Code's `trace`/`off` spellings too. */
export function parseLogLevel(value: unknown, fallback: LogLevel = 'info'): LogLevel {
  if (value === 'trace') return 'debug';
  if (value === 'warning') return 'warn';
  if (value === 'off') return 'error';
  return LOG_LEVELS.includes(value as LogLevel) ? (value as LogLevel) : fallback;
}

export class Logger {
  private level: LogLevel;

  constructor(
    private readonly console: Pick<RemoteConsole, 'error' | 'warn' | 'info' | 'debug'>,
    level: LogLevel = 'info',
  ) {
    this.level = level;
  }

  /** Changes the lowest level that is sent; lower ones are dropped before formatting. */
  setLevel(level: LogLevel): void {
    this.level = level;
  }

  error(message: string, error?: unknown): void {
    if (this.enabled('error')) this.console.error(withCause(message, error));
  }

  warn(message: string): void {
    if (this.enabled('warn')) this.console.warn(message);
  }

  info(message: string): void {
    if (this.enabled('info')) this.console.info(message);
  }

  /** Takes a function so that costly messages are only built when debugging. */
  debug(message: string | (() => string)): void {
    if (this.enabled('debug'))
      this.console.debug(typeof message === 'string' ? message : message());
  }

  private enabled(level: LogLevel): boolean {
    return LOG_LEVELS.indexOf(level) <= LOG_LEVELS.indexOf(this.level);
  }
}

function withCause(message: string, error: unknown): string {
  if (error === undefined) return message;
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return `${message}\n${detail}`;
}
