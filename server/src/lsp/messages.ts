/**
 * Messages for the user. They go out as `window/showMessage` notifications, not requests:
 * none of them offers a choice, so nothing should wait for an answer.
 */
import { MessageType, ShowMessageNotification, type Connection } from 'vscode-languageserver/node';

export type MessageSender = Pick<Connection, 'sendNotification'>;

/** Shows a warning the user has to act on, such as a bad setting. */
export function showWarning(connection: MessageSender, message: string): void {
  void connection.sendNotification(ShowMessageNotification.type, {
    type: MessageType.Warning,
    message,
  });
}

/** Shows a notice that needs no action, such as a skipped huge file. */
export function showInfo(connection: MessageSender, message: string): void {
  void connection.sendNotification(ShowMessageNotification.type, {
    type: MessageType.Info,
    message,
  });
}

/** Shows a failure of rcu-lens itself. */
export function showError(connection: MessageSender, message: string): void {
  void connection.sendNotification(ShowMessageNotification.type, {
    type: MessageType.Error,
    message,
  });
}
