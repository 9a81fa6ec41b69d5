import { expect } from 'chai';
import {
  answerValues,
  changeRows,
  fieldLabel,
  onTheAnswerForm,
  readAnswerForm,
  valueInWords,
} from '../../../server/bids/clarificationPageModels.ts';
import { raiseRefusal } from '../../../server/bids/clarificationRules.ts';
import type { Call } from '../../../server/calls/types.ts';
import { d2n2HealthAndWellbeingCall } from '../../../server/demo/d2n2.ts';
import { aBidBody } from '../../support/builders.ts';

const call = { ...d2n2HealthAndWellbeingCall(new Date(), new Date()), id: 'call' } as unknown as Call;

describe('what the pages after the deadline show of a clarification', () => {
  it('names each changed field in the words of the bid form, money in pounds and codes in words', () => {
    expect(fieldLabel('/title')).to.equal('Title');
    expect(fieldLabel('/priorities/1/esfPence')).to.equal('Priority 2: ESF');
    expect(fieldLabel('/narrative/need')).to.equal('Need and gap');
    expect(fieldLabel('/matchFunding/0')).to.equal('Match funding line 1');
    expect(valueInWords(45_000_000, 'esfPence')).to.equal('£450,000.00');
    expect(valueInWords('in_kind', 'kind')).to.equal('In kind');
    expect(valueInWords(null)).to.equal('None');
    expect(valueInWords({ code: '1.1', esfPence: 100 })).to.equal('code: 1.1; ESF: £1.00');
    expect(
      changeRows([
        { path: '/matchFunding/1/status', before: 'pending', after: 'secured' },
        { path: '/attachments/2', before: null, after: { id: 'f', filename: 'letter.pdf', sha256: 'x' } },
      ]),
    ).to.deep.equal([
      {
        path: '/matchFunding/1/status',
        section: 'Match funding',
        field: 'Match funding line 2: secured or pending',
        before: 'Pending',
        after: 'Secured',
      },
      { path: '/attachments/2', section: 'Documents', field: 'File 3', before: 'None', after: 'letter.pdf' },
    ]);
  });

  it('reads only the fields that differ from the version asked about, and keeps partners linked', () => {
    const base = {
      ...aBidBody(),
      partners: aBidBody().partners!.map((p, i) => ({
        ...p,
        id: `p${i}`,
        organisationId: `org${i}`,
        completedAt: null,
      })),
    };
    const values = answerValues(['details', 'partners'], call, base, 'Renamed');
    const unchanged = readAnswerForm(values, ['details', 'partners'], call, base);
    expect(unchanged.changes).to.deep.equal({});
    expect(unchanged.answer).to.equal('Renamed');

    const renamed = readAnswerForm(
      { ...values, title: 'A new title', 'partners-1-esfPence': '250,000.00' },
      ['details', 'partners'],
      call,
      base,
    );
    expect(Object.keys(renamed.changes).sort()).to.deep.equal(['partners', 'title']);
    const partners = renamed.changes.partners as { id: string; organisationId: string; esfPence: number }[];
    expect(partners[1]).to.include({ id: 'p1', organisationId: 'org1', esfPence: 25_000_000 });
  });

  it('asks for an answer, and points the service\u2019s details at the form', () => {
    const { reader } = readAnswerForm({}, ['details'], call, aBidBody());
    expect(reader.errorItems().map((e) => e.field)).to.include('answer');
    expect(onTheAnswerForm([{ path: '/changes/title', message: 'm' }])).to.deep.equal([
      { path: '/title', message: 'm' },
    ]);
  });

  it('lets a question be asked only after the close, on an undecided bid submitted in time, one at a time', () => {
    expect(raiseRefusal('open', 'submitted', false)).to.match(/once the call has closed; this call is open/);
    expect(raiseRefusal('appraisal', 'rejected', false)).to.match(/had its decision/);
    expect(raiseRefusal('closed', 'draft', false)).to.match(/submitted by the deadline/);
    expect(raiseRefusal('appraisal', 'submitted', true)).to.match(/already has a clarification/);
    expect(raiseRefusal('closed', 'submitted', false)).to.equal(undefined);
    expect(raiseRefusal('appraisal', 'submitted', false)).to.equal(undefined);
  });
});
