/** Helpers for page tests: reading the CSRF token a form carries. */
import type supertest from 'supertest';

/** Loads a page with the agent and answers the CSRF token in its first form. */
export async function csrfTokenFrom(agent: supertest.Agent, path: string): Promise<string> {
  const page = await agent.get(path).expect(200);
  const match = /name="_csrf" value="([^"]+)"/.exec(page.text);
  if (!match) throw new Error(`No CSRF token on ${path}`);
  return match[1];
}
