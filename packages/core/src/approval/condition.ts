import { ParleyError } from "../errors/index.ts";

/** A condition string that does not parse; `column` is 1-based within the condition. */
export class ApprovalConditionError extends ParleyError<"invalid_approval_condition"> {
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

/**
 * The value of a comparison that cannot be made honestly: `"5000" > 50`, `[5000] > 50`, `{…} == 5`. Conditions
 * decide whether to *ask*, so such a comparison must not quietly read as false: it is unknown, `&&`, `||` and `!`
 * carry it (Kleene logic: `false && unknown` is false, `true || unknown` is true), and an unknown result asks.
 */
const UNKNOWN: unique symbol = Symbol("unknown");
type Truth = boolean | typeof UNKNOWN;

const isMissing = (v: unknown) => v === undefined || v === null;
const isScalar = (v: unknown) => typeof v === "number" || typeof v === "string";

function truth(v: unknown): Truth {
  return v === UNKNOWN ? UNKNOWN : Boolean(v);
}

/** Ordering: two numbers or two strings; a missing field is simply not over or under anything; anything else is unknown. */
function order(a: unknown, b: unknown, test: (x: number, y: number) => boolean): Truth {
  if (a === UNKNOWN || b === UNKNOWN) return UNKNOWN;
  if (isMissing(a) || isMissing(b)) return false;
  if (typeof a === typeof b && isScalar(a)) return test(a as number, b as number);
  return UNKNOWN;
}

/** Strict equality, unknown when the two sides are different kinds of value (a string against a number, a list against a string). */
function equal(a: unknown, b: unknown): Truth {
  if (a === UNKNOWN || b === UNKNOWN) return UNKNOWN;
  if (isMissing(a) || isMissing(b) || typeof a === typeof b) {
    if (typeof a === "object" && a !== null && typeof b === "object" && b !== null) return UNKNOWN;
    return a === b;
  }
  return UNKNOWN;
}

function member(a: unknown, b: unknown): Truth {
  if (a === UNKNOWN || b === UNKNOWN) return UNKNOWN;
  if (isMissing(b)) return false;
  if (Array.isArray(b)) {
    if (b.includes(a)) return true;
    return a !== null && typeof a === "object" ? UNKNOWN : false;
  }
  if (typeof b === "string") return typeof a === "string" ? b.includes(a) : UNKNOWN;
  if (typeof b === "object") return isScalar(a) ? Object.hasOwn(b, String(a)) : UNKNOWN;
  return UNKNOWN;
}

function not(v: Truth): Truth {
  return v === UNKNOWN ? UNKNOWN : !v;
}

function and(a: Truth, b: () => Truth): Truth {
  if (a === false) return false;
  const right = b();
  if (right === false) return false;
  return a === UNKNOWN || right === UNKNOWN ? UNKNOWN : true;
}

function or(a: Truth, b: () => Truth): Truth {
  if (a === true) return true;
  const right = b();
  if (right === true) return true;
  return a === UNKNOWN || right === UNKNOWN ? UNKNOWN : false;
}

function evaluate(node: Node, scope: ConditionScope): unknown {
  switch (node.k) {
    case "lit":
      return node.v;
    case "list":
      return node.items.map((n) => evaluate(n, scope));
    case "not":
      return not(truth(evaluate(node.x, scope)));
    case "path": {
      let value: unknown = node.root === "args" ? scope.args : scope.variables;
      for (const step of node.steps) {
        const key = typeof step === "string" ? step : evaluate(step, scope);
        if (key === UNKNOWN) return UNKNOWN;
        value = get(value, key);
      }
      return value;
    }
    case "bin": {
      if (node.op === "&&")
        return and(truth(evaluate(node.a, scope)), () => truth(evaluate(node.b, scope)));
      if (node.op === "||")
        return or(truth(evaluate(node.a, scope)), () => truth(evaluate(node.b, scope)));
      const a = evaluate(node.a, scope);
      const b = evaluate(node.b, scope);
      switch (node.op) {
        case "==":
        case "===":
          return equal(a, b);
        case "!=":
        case "!==":
          return not(equal(a, b));
        case "<":
          return order(a, b, (x, y) => x < y);
        case "<=":
          return order(a, b, (x, y) => x <= y);
        case ">":
          return order(a, b, (x, y) => x > y);
        case ">=":
          return order(a, b, (x, y) => x >= y);
        case "in":
          return member(a, b);
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
 * Fails closed: a comparison between different kinds of value (`"5000" > 50`, `[5000] > 50`) is unknown, and a
 * condition whose result is unknown is true (the call asks).
 *
 * @example
 * const needsApproval = compileCondition("args.amount > 100 || args.country in ['US', 'CA']");
 * needsApproval({ args: { amount: 250 } }) // true
 */
export function compileCondition(source: string): Condition {
  const tree = parse(source);
  return (scope) => {
    const result = truth(evaluate(tree, scope));
    return result === UNKNOWN ? true : result;
  };
}
