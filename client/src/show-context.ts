/**
 * `rcuLens.showContext`: the evidence for a function's context as a quick pick. Moving through
 * the list previews each step; choosing one jumps there.
 */
import { Range, Uri, window, type QuickPickItem } from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

import {
  CONTEXT_AT_REQUEST,
  type ContextAtParams,
  type EvidenceStep,
  type ShowContextArgs,
} from '../../server/src/lsp/protocol';

interface StepItem extends QuickPickItem {
  readonly step: EvidenceStep;
}

/** Runs the command, with the code lens's argument or for the function at the cursor. */
export async function showContext(
  client: LanguageClient | undefined,
  args?: ShowContextArgs,
): Promise<void> {
  const context = args ?? (await contextAtCursor(client));
  if (!context) {
    void window.showInformationMessage(
      'rcu-lens: put the cursor in a C function to see its context.',
    );
    return;
  }
  const pick = window.createQuickPick<StepItem>();
  pick.title = `${context.function}(): ${context.label}`;
  pick.placeholder = 'Evidence, root first: choose a step to go to it';
  pick.items = context.evidence.map((step) => ({
    label: step.message,
    description: describeLocation(step),
    step,
  }));
  pick.onDidChangeActive(([item]) => {
    if (item) void reveal(item.step, true);
  });
  pick.onDidAccept(() => {
    const [item] = pick.selectedItems;
    pick.hide();
    if (item) void reveal(item.step, false);
  });
  pick.onDidHide(() => pick.dispose());
  pick.show();
}

async function contextAtCursor(
  client: LanguageClient | undefined,
): Promise<ShowContextArgs | undefined> {
  const editor = window.activeTextEditor;
  if (!client || !editor) return undefined;
  const params: ContextAtParams = {
    textDocument: { uri: editor.document.uri.toString() },
    position: { line: editor.selection.active.line, character: editor.selection.active.character },
  };
  return (
    (await client.sendRequest<ShowContextArgs | null>(CONTEXT_AT_REQUEST, params)) ?? undefined
  );
}

function describeLocation(step: EvidenceStep): string | undefined {
  if (!step.uri || !step.range) return undefined;
  const name = Uri.parse(step.uri).path.split('/').pop();
  return `${name}:${step.range.start.line + 1}`;
}

async function reveal(step: EvidenceStep, preview: boolean): Promise<void> {
  if (!step.uri || !step.range) return;
  const { start, end } = step.range;
  const selection = new Range(start.line, start.character, end.line, end.character);
  await window.showTextDocument(Uri.parse(step.uri), {
    selection,
    preview,
    preserveFocus: preview,
  });
}
