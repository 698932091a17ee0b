/**
 * Unexpected failures: logged every time with their stack, shown to the user once per
 * document, and never thrown back into the connection. Expected conditions (broken C, a
 * patch that does not apply) are not failures and never get here.
 */
import { displayName } from './documents';
import type { Logger } from './logger';
import { showError, type MessageSender } from './messages';

export class FailureReporter {
  private readonly shown = new Set<string>();

  constructor(
    private readonly connection: MessageSender,
    private readonly logger: Logger,
  ) {}

  /** Logs a failure; the first one of a document is also shown. */
  report(what: string, uri: string | undefined, error: unknown): void {
    this.logger.error(`${what} failed${uri ? ` for ${uri}` : ''}.`, error);
    const key = uri ?? what;
    if (this.shown.has(key)) return;
    this.shown.add(key);
    const reason = error instanceof Error ? error.message : String(error);
    const subject = uri ? ` on ${displayName(uri)}` : '';
    showError(
      this.connection,
      `rcu-lens: ${what} failed${subject} (${reason}). The rcu-lens output has the details.`,
    );
  }

  /** Forgets a closed document, so a failure after reopening it is shown again. */
  forget(uri: string): void {
    this.shown.delete(uri);
  }

  /**
   * Wraps a request handler: a failure is reported and the handler answers `fallback`, so
   * the client sees an empty result instead of an error.
   */
  guard<P, R>(
    what: string,
    fallback: R,
    handler: (params: P) => R | Promise<R>,
  ): (params: P) => Promise<R> {
    return async (params: P) => {
      try {
        return await handler(params);
      } catch (error) {
        this.report(what, uriOf(params), error);
        return fallback;
      }
    };
  }
}

function uriOf(params: unknown): string | undefined {
  const document = (params as { textDocument?: { uri?: unknown } } | undefined)?.textDocument;
  return typeof document?.uri === 'string' ? document.uri : undefined;
}
