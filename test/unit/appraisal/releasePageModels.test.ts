import { expect } from 'chai';
import { readRaiseForm, scoredVersions } from '../../../server/appraisal/clarificationPageModels.ts';
import { feedbackFromPanel, readReleaseForm, releaseView } from '../../../server/appraisal/releasePageModels.ts';

describe("the officer's clarification and release forms", () => {
  it('reads a reply-by typed in UK time as the instant it names, either side of the clocks going forward', () => {
    const typed = (day: string) => ({
      sections: ['budget', 'nonsense'],
      question: 'Why?',
      'respondBy-day': day,
      'respondBy-month': '3',
      'respondBy-year': '2027',
      'respondBy-time': '09:00',
    });
    expect(readRaiseForm(typed('27')).body).to.deep.equal({
      question: 'Why?',
      sections: ['budget'],
      respondBy: '2027-03-27T09:00:00.000Z',
    });
    expect(readRaiseForm(typed('29')).body.respondBy).to.equal('2027-03-29T08:00:00.000Z');
    const blank = readRaiseForm({});
    expect(blank.reader.errorItems().map((e) => e.field)).to.deep.equal(['sections', 'question', 'respondBy']);
  });

  it('reads the release form: now, a UK time, or a problem', () => {
    const now = new Date('2027-04-01T10:00:00.000Z');
    expect(readReleaseForm({ now: '1' }, now).releaseDecisionsAt).to.equal('2027-04-01T10:00:00.000Z');
    const typed = {
      'releaseDecisionsAt-day': '1',
      'releaseDecisionsAt-month': '11',
      'releaseDecisionsAt-year': '2027',
      'releaseDecisionsAt-time': '09:30',
    };
    expect(readReleaseForm(typed, now).releaseDecisionsAt).to.equal('2027-11-01T09:30:00.000Z');
    expect(readReleaseForm({}, now).reader.errorItems()[0].field).to.equal('releaseDecisionsAt');
  });

  it('says where the release stands, with the set time on the form in UK time', () => {
    const held = releaseView({ releaseDecisionsAt: '2027-03-31T08:00:00.000Z', released: false }, undefined, []);
    expect(held.status.text).to.equal('Not yet released');
    expect(held.words).to.match(/^The decisions will be released on 31 March 2027 at 9:00am \(UK time\)/);
    expect(held.time.value).to.equal('09:00');
    const released = releaseView({ releaseDecisionsAt: '2027-03-31T08:00:00.000Z', released: true }, undefined, []);
    expect(released.status.text).to.equal('Released');
    expect(released.words).to.match(/^The decisions were released on 31 March 2027 at 9:00am/);
    expect(releaseView({ releaseDecisionsAt: null, released: false }, undefined, []).status.text).to.equal(
      'No release time set',
    );
  });

  it("starts the feedback from the panel's comments and the moderation's rationale, criterion by criterion", () => {
    const text = feedbackFromPanel(
      [
        { code: 'SF', title: 'Strategic fit' },
        { code: 'VM', title: 'Value for money' },
      ],
      {
        appraisers: [{ scores: [{ criterion: 'SF', comment: 'Weak link to the priority.' }] }],
        moderated: [{ criterion: 'SF', rationale: 'Moderated to 3.' }],
      },
    );
    expect(text).to.equal('Strategic fit: Weak link to the priority. Moderated to 3.');
  });

  it('says which appraiser scored which version, marking an earlier one', () => {
    const rows = scoredVersions(
      [
        { appraiserId: 'a', label: 'Appraiser 1', version: 1, onEarlierVersion: true },
        { appraiserId: 'b', label: 'Appraiser 2', version: 2, onEarlierVersion: false },
      ],
      new Map([['a', 'Ann']]),
      2,
    );
    expect(rows.map((r) => [r.name, r.note])).to.deep.equal([
      ['Ann', 'Scored version 1; the appraised version is 2'],
      ['Appraiser 2', 'Scored version 2, the appraised version'],
    ]);
  });
});
