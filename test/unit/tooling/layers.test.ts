import { expect } from 'chai';
import { ESLint } from 'eslint';

/** The import rules ESLint reports for `code` as if it were the file at `filePath`. */
async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await new ESLint().lintText(code, { filePath });
  return result.messages
    .filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports')
    .map((m) => m.message.split(' import is restricted')[0]);
}

describe('the layers of server/, as the linter keeps them', function () {
  this.timeout(60_000);

  it('refuses a shared layer importing a feature, the web layer or the app', async () => {
    const code = [
      "import { getBid } from '../bids/service.ts';",
      "import { setFlash } from '../web/flash.ts';",
      "import { createApp } from '../app.ts';",
      'export const used = [getBid, setFlash, createApp];',
    ].join('\n');
    expect(await restrictedImports('server/shared/example.ts', code)).to.deep.equal([
      "'../bids/service.ts'",
      "'../web/flash.ts'",
      "'../app.ts'",
    ]);
  });

  it("refuses a feature reaching into another feature's routes, pages or sub-folders, and lets it use the rest", async () => {
    const code = [
      "import { bidPages } from '../bids/pages.ts';",
      "import { optimalPlan } from '../appraisal/plan/optimal.ts';",
      "import { getBid } from '../bids/service.ts';",
      "import type { PlanObjective } from '../appraisal/plan/types.ts';",
      'export const used: [unknown, unknown, unknown, PlanObjective?] = [bidPages, optimalPlan, getBid];',
    ].join('\n');
    expect(await restrictedImports('server/exports/example.ts', code)).to.deep.equal([
      "'../bids/pages.ts'",
      "'../appraisal/plan/optimal.ts'",
    ]);
  });

  it('keeps the grant of access to the access module', async () => {
    const code = "import { grant } from '../access/grant.ts';\nexport const used = grant;";
    expect(await restrictedImports('server/bids/example.ts', code)).to.deep.equal(["'../access/grant.ts'"]);
    expect(await restrictedImports('server/access/example.ts', code.replace('../access/', './'))).to.deep.equal([]);
  });
});
