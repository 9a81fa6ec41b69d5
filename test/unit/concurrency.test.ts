import { expect } from 'chai';
import { Semaphore } from '../../server/concurrency.ts';

describe('semaphore', () => {
  it('lets `limit` hold it at once, hands each place on in order, and refuses past the queue', async () => {
    const semaphore = new Semaphore(2, 1);
    const first = (await semaphore.acquire()) as () => void;
    const second = (await semaphore.acquire()) as () => void;
    let thirdGot = false;
    const third = semaphore.acquire().then((release) => {
      thirdGot = true;
      return release as () => void;
    });
    expect(await semaphore.acquire()).to.equal(false);
    await new Promise((resolve) => setImmediate(resolve));
    expect(thirdGot).to.equal(false);
    first();
    first(); // a second release of the same place gives nothing back
    const releaseThird = await third;
    expect(semaphore.active).to.equal(2);
    second();
    releaseThird();
    expect(semaphore.active).to.equal(0);
  });
});
