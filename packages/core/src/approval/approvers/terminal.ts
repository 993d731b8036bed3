import type { ApprovalDecision, ApprovalRequest, Approver } from "../approver.ts";

/**
 * What a terminal gives the terminal approver: the CLI implements it with a y/n prompt (`agent dev`).
 * `ask` should stop waiting when `request.signal` aborts.
 */
export interface TerminalPrompt {
  ask(question: string, request: ApprovalRequest): Promise<boolean | ApprovalDecision>;
}

/**
 * The question shown to the person at the terminal, one line, arguments already redacted.
 *
 * @example
 * approvalQuestion(req) // 'Allow refund_payment({"amount":250}) ? (amount > 100)'
 */
export function approvalQuestion(request: ApprovalRequest): string {
  const where = request.serverLabel ? `${request.serverLabel}/` : "";
  return `Allow ${where}${request.tool}(${JSON.stringify(request.arguments)})? (${request.reason})`;
}

/**
 * Asks the person at the terminal.
 *
 * @example
 * terminalApprover({ ask: async (question) => (await rl.question(`${question} [y/N] `)) === "y" })
 */
export function terminalApprover(prompt: TerminalPrompt): Approver {
  return {
    name: "terminal",
    async ask(request) {
      const answer = await prompt.ask(approvalQuestion(request), request);
      const decision = typeof answer === "boolean" ? { approved: answer } : answer;
      return {
        by: "terminal",
        ...decision,
        reason: decision.reason ?? (decision.approved ? undefined : "declined at the terminal"),
      };
    },
  };
}
