import { ParleyError } from "../errors/index.ts";

/** A condition string that does not parse; `column` is 1-based within the condition. */
export class ApprovalConditionError extends ParleyError {
  readonly column: number;
  constructor(condition: string, column: number, problem: string) {
    super(
      "invalid_approval_condition",
      `approval condition ${JSON.stringify(condition.length > 120 ? `${condition.slice(0, 117)}...` : condition)}, column ${column}: ${problem}`,
    );
    this.column = column;
  }
}

/** What a condition can read: the call's arguments and the session's variables. */
export interface ConditionScope {
  args: unknown;
  variables?: unknown;
}

/** A compiled condition: pure, never throws, never runs code. */
export type Condition = (scope: ConditionScope) => boolean;

type Node =
  | { k: "lit"; v: unknown }
  | { k: "list"; items: Node[] }
  | { k: "path"; root: "args" | "variables"; steps: (string | Node)[] }
  | { k: "not"; x: Node }
  | { k: "bin"; op: string; a: Node; b: Node };

type Token = { t: "num" | "str" | "id" | "op"; v: string; at: number };

const TOKEN =
  /\s*(?:(\d+(?:\.\d+)?)|("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|([A-Za-z_$][\w$]*)|(===|!==|==|!=|<=|>=|&&|\|\||[<>!()[\].,]))/y;
const ROOTS: Record<string, "args" | "variables"> = {
  args: "args",
  variables: "variables",
  vars: "variables",
};
const COMPARE = new Set(["==", "!=", "===", "!==", "<", "<=", ">", ">=", "in"]);
/** A condition is one line of logic: longer or deeper is a mistake (and would overflow the recursive parser). */
const MAX_CONDITION_CHARS = 2_000;
const MAX_NESTING = 32;

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < src.length) {
    const start = TOKEN.lastIndex;
    if (/^\s*$/.test(src.slice(start))) break;
    const m = TOKEN.exec(src);
    if (!m)
      throw new ApprovalConditionError(
        src,
        start + 1 + (src.slice(start).length - src.slice(start).trimStart().length),
        "unexpected character",
      );
    const at = start + (m[0].length - m[0].trimStart().length) + 1;
    if (m[1] !== undefined) tokens.push({ t: "num", v: m[1], at });
    else if (m[2] !== undefined) tokens.push({ t: "str", v: m[2], at });
    else if (m[3] !== undefined) tokens.push({ t: m[3] === "in" ? "op" : "id", v: m[3], at });
    else tokens.push({ t: "op", v: m[4] as string, at });
  }
  return tokens;
}

function unquote(raw: string): string {
  const body = raw.slice(1, -1);
  return body.replace(/\\(.)/g, (_, c: string) => ({ n: "\n", t: "\t" })[c] ?? c);
}

function parse(src: string): Node {
  if (src.length > MAX_CONDITION_CHARS)
    throw new ApprovalConditionError(
      src,
      MAX_CONDITION_CHARS + 1,
      `a condition is at most ${MAX_CONDITION_CHARS} characters`,
    );
  const tokens = tokenize(src);
  let i = 0;
  let depth = 0;
  const nested = <T>(inner: () => T): T => {
    if (++depth > MAX_NESTING) fail(`nested more than ${MAX_NESTING} deep`);
    try {
      return inner();
    } finally {
      depth--;
    }
  };
  const peek = () => tokens[i];
  const fail = (problem: string): never => {
    throw new ApprovalConditionError(src, peek()?.at ?? src.length + 1, problem);
  };
  const take = (v: string) => {
    if (peek()?.v !== v || peek()?.t === "str") fail(`expected "${v}"`);
    i++;
  };
  const isOp = (v: string) => peek()?.t === "op" && peek()?.v === v;

  const or = (): Node => {
    let a = and();
    while (isOp("||")) {
      i++;
      a = { k: "bin", op: "||", a, b: and() };
    }
    return a;
  };
  const and = (): Node => {
    let a = compare();
    while (isOp("&&")) {
      i++;
      a = { k: "bin", op: "&&", a, b: compare() };
    }
    return a;
  };
  const compare = (): Node => {
    const a = unary();
    const t = peek();
    if (t?.t === "op" && COMPARE.has(t.v)) {
      i++;
      return { k: "bin", op: t.v, a, b: unary() };
    }
    return a;
  };
  const unary = (): Node => {
    if (isOp("!")) {
      i++;
      return { k: "not", x: nested(unary) };
    }
    return primary();
  };
  const primary = (): Node => {
    const t = peek();
    if (!t) return fail("unexpected end of condition");
    i++;
    if (t.t === "num") return { k: "lit", v: Number(t.v) };
    if (t.t === "str") return { k: "lit", v: unquote(t.v) };
    if (t.t === "op" && t.v === "(") {
      const inner = nested(or);
      take(")");
      return inner;
    }
    if (t.t === "op" && t.v === "[") {
      const items: Node[] = [];
      while (!isOp("]")) {
        items.push(nested(or));
        if (!isOp("]")) take(",");
      }
      take("]");
      return { k: "list", items };
    }
    if (t.t === "id") {
      if (t.v === "true" || t.v === "false") return { k: "lit", v: t.v === "true" };
      if (t.v === "null") return { k: "lit", v: null };
      const root = ROOTS[t.v];
      if (!root) {
        i--;
        return fail(`unknown name "${t.v}" (use args.<field> or variables.<name>)`);
      }
      const steps: (string | Node)[] = [];
      for (;;) {
        if (isOp(".")) {
          i++;
          const name = peek();
          if (name?.t !== "id") fail("expected a field name after '.'");
          steps.push((name as Token).v);
          i++;
        } else if (isOp("[")) {
          i++;
          steps.push(nested(or));
          take("]");
        } else break;
      }
      return { k: "path", root, steps };
    }
    i--;
    return fail(`unexpected "${t.v}"`);
  };

  const node = or();
  if (i < tokens.length) fail(`unexpected "${peek()?.v}"`);
  return node;
}

function get(value: unknown, key: unknown): unknown {
  if (value === null || typeof value !== "object") return undefined;
  if (Array.isArray(value) && key === "length") return value.length;
  const k = String(key);
  // Own properties only: no prototype walking (args.constructor is undefined, not a function).
  return Object.hasOwn(value, k) ? (value as Record<string, unknown>)[k] : undefined;
}

function sameType(a: unknown, b: unknown): boolean {
  return (
    (typeof a === "number" && typeof b === "number") ||
    (typeof a === "string" && typeof b === "string")
  );
}

function evaluate(node: Node, scope: ConditionScope): unknown {
  switch (node.k) {
    case "lit":
      return node.v;
    case "list":
      return node.items.map((n) => evaluate(n, scope));
    case "not":
      return !evaluate(node.x, scope);
    case "path": {
      let value: unknown = node.root === "args" ? scope.args : scope.variables;
      for (const step of node.steps)
        value = get(value, typeof step === "string" ? step : evaluate(step, scope));
      return value;
    }
    case "bin": {
      if (node.op === "&&")
        return Boolean(evaluate(node.a, scope)) && Boolean(evaluate(node.b, scope));
      if (node.op === "||")
        return Boolean(evaluate(node.a, scope)) || Boolean(evaluate(node.b, scope));
      const a = evaluate(node.a, scope);
      const b = evaluate(node.b, scope);
      switch (node.op) {
        case "==":
        case "===":
          return a === b;
        case "!=":
        case "!==":
          return a !== b;
        case "<":
          return sameType(a, b) && (a as number) < (b as number);
        case "<=":
          return sameType(a, b) && (a as number) <= (b as number);
        case ">":
          return sameType(a, b) && (a as number) > (b as number);
        case ">=":
          return sameType(a, b) && (a as number) >= (b as number);
        case "in":
          if (Array.isArray(b)) return b.includes(a);
          if (typeof b === "string") return typeof a === "string" && b.includes(a);
          return b !== null && typeof b === "object" && Object.hasOwn(b, String(a));
      }
    }
  }
  return undefined;
}

/**
 * Compiles an approval condition as written in agent files. The language is small and safe (no eval):
 * literals (numbers, 'strings', true, false, null, [lists]), `args.path` / `args["key"]` / `variables.name`,
 * comparisons `== != < <= > >=` (strict: no type coercion; ordering only between two numbers or two strings),
 * `in` (list membership, substring, object key), `!`, `&&`, `||`, parentheses. A missing field reads as undefined.
 *
 * @example
 * const needsApproval = compileCondition("args.amount > 100 || args.country in ['US', 'CA']");
 * needsApproval({ args: { amount: 250 } }) // true
 */
export function compileCondition(source: string): Condition {
  const tree = parse(source);
  return (scope) => Boolean(evaluate(tree, scope));
}
