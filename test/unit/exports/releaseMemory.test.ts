import { expect } from 'chai';
import { releaseMemorySoon } from '../../../server/exports/releaseMemory.ts';

describe('releasing memory after a large download', () => {
  const holder = globalThis as { gc?: () => void };
  let exposed: (() => void) | undefined;
  beforeEach(() => {
    exposed = holder.gc;
  });
  afterEach(() => {
    holder.gc = exposed;
  });
  const afterCallbacks = () => new Promise((resolve) => setImmediate(resolve));

  it('collects once after the current callbacks, however many downloads ended meanwhile', async () => {
    let collections = 0;
    holder.gc = () => {
      collections += 1;
    };
    releaseMemorySoon();
    releaseMemorySoon();
    expect(collections, 'not while the request is still being answered').to.equal(0);
    await afterCallbacks();
    expect(collections).to.equal(1);
    releaseMemorySoon();
    await afterCallbacks();
    expect(collections, 'a later download collects again').to.equal(2);
  });

  it('does nothing in a process started without --expose-gc', async () => {
    holder.gc = undefined;
    expect(() => releaseMemorySoon()).not.to.throw();
    await afterCallbacks();
    let collections = 0;
    holder.gc = () => {
      collections += 1;
    };
    releaseMemorySoon();
    await afterCallbacks();
    expect(collections, 'nothing was left scheduled').to.equal(1);
  });
});
