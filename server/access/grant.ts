/**
 * The proof that an access rule ran. Only the access module makes one (grant is for its own files: the linter
 * refuses an import of this file from anywhere else), and the services that act on a call, bid, panel, score
 * sheet or file take one as a parameter, so none of them can be reached around the rule.
 */

declare const RULES: unique symbol;

/**
 * What `Rule` let the actor reach: the rows it read, marked as read by that rule. A value can pass several rules
 * (a bid read, then found to be the officer's to decide), so the mark holds one key per rule.
 */
export type Reached<Rule extends string, T extends object> = T & { readonly [RULES]: { readonly [K in Rule]: true } };

/** Marks what a rule let the actor reach. */
export function grant<Rule extends string, T extends object>(_rule: Rule, value: T): Reached<Rule, T> {
  return value as Reached<Rule, T>;
}
