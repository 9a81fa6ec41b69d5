import { expect } from 'chai';
import {
  callEditorView,
  callFormValues,
  onTheEditor,
  readCallForm,
  withoutAnswered,
} from '../../../server/calls/officerPageModels.ts';
import { d2n2HealthAndWellbeingCall } from '../../../server/demo/d2n2.ts';

const call = d2n2HealthAndWellbeingCall(new Date('2026-12-01T09:00:00Z'), new Date('2027-07-06T22:59:00Z'));

describe('the call editor form', () => {
  it('reads back exactly the call it was filled from', () => {
    const { reader, body } = readCallForm(callFormValues(call));
    expect(reader.problems).to.deep.equal([]);
    expect(body).to.deep.equal({ ...call, opensAt: '2026-12-01T09:00:00.000Z', closesAt: '2027-07-06T22:59:00.000Z' });
  });

  it('shows times in London: 22:59 UTC in July is 23:59 British Summer Time', () => {
    const values = callFormValues(call);
    expect([
      values['closesAt-day'],
      values['closesAt-month'],
      values['closesAt-year'],
      values['closesAt-time'],
    ]).to.deep.equal(['6', '7', '2027', '23:59']);
  });

  it("skips blank rows and points the service's details back at the rows of the form", () => {
    const values = {
      ...callFormValues({ ...call, priorities: [] }),
      'priorities-0-code': '',
      'priorities-0-title': '',
      'priorities-1-code': '1.1',
      'priorities-1-title': 'Access',
      'priorities-1-allocationPence': '£80o',
    };
    const { reader, body } = readCallForm(values);
    expect(body.priorities).to.deep.equal([
      { code: '1.1', title: 'Access', participantIndicators: [], resultIndicators: [] },
    ]);
    const items = withoutAnswered(
      reader.errorItems([
        { path: '/priorities/0/allocationPence', message: 'Required field "allocationPence" is missing' },
      ]),
    );
    expect(items).to.deep.equal([
      { field: 'priorities-1-allocationPence', message: 'Enter an amount in pounds, like £500,000.00' },
    ]);
  });

  it('answers half a date or a bad time on the field at fault', () => {
    const values = { ...callFormValues(call), 'opensAt-time': '9am', 'closesAt-day': '31', 'closesAt-month': '2' };
    const { reader, body } = readCallForm(values);
    expect(body.opensAt).to.equal(undefined);
    expect(body.closesAt).to.equal(undefined);
    expect(reader.problems).to.deep.equal([
      { path: '/opensAt/time', message: 'Enter the opening time on the 24-hour clock, like 23:59' },
      { path: '/closesAt', message: 'The closing date must be a real date, like 1 4 2027' },
    ]);
  });

  it('points list-level and indicator details at inputs the form has', () => {
    expect(
      onTheEditor([
        { path: '/priorities', message: 'a' },
        { path: '/priorities/2/resultIndicators/1', message: 'b' },
        { path: '/geography/3', message: 'c' },
      ]).map((d) => d.path),
    ).to.deep.equal(['/priorities/0/code', '/priorities/2/resultIndicators', '/geography']);
  });

  it('draws one more blank row than an existing call has, and at least the default number', () => {
    const view = callEditorView(callFormValues(call), [], [], 1);
    expect(view.priorities).to.have.length(4);
    expect(view.gapCriteria).to.have.length(6);
    expect(view.appraisalCriteria).to.have.length(6);
    expect(callEditorView({}, [], []).priorities).to.have.length(3);
  });
});
