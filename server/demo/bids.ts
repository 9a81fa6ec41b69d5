/**
 * Demo bids on the D2N2 call, made through the same services applicants use: two that pass the gateway
 * (one spanning 1.1 and 2.1, one 1.4 and 2.1), one that fails the £500,000 floor, and one still in draft.
 */
import type { Actor, AppContext } from '../context.ts';
import type { BidFields } from '../bids/types.ts';
import { addAttachment, createBid, replaceBid, submitBid } from '../bids/service.ts';
import { sha256Hex } from '../bids/receipt.ts';

/** A one-page PDF letter, so the demo's match funding has real evidence to download. */
export function demoLetter(text: string): Buffer {
  const stream = `BT /F1 12 Tf 72 720 Td (${text.replace(/[()\\]/g, '\\$&')}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(pdf.length);
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) pdf += `${String(offset).padStart(10, '0')} 00000 n \n`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}

const narrative = {
  need: 'People with common mental health conditions and disabled people fall between health and employment services in Derby; section 7.3 of the scoping report names them as under-served.',
  activities:
    'Key workers embedded in talking-therapy teams, employer brokerage, supported work trials and in-work support for six months.',
  delivery:
    'The lead consortium delivers key work; the college delivers basic skills and level 2 courses across the city.',
  management: 'A partnership board meets monthly; a contract manager checks eligibility evidence and quarterly claims.',
  crossCuttingThemes: 'An equality impact assessment shapes outreach; delivery is local to cut travel.',
};

/** The passing bid: £600,000 ESF over 1.1 and 2.1 at exactly the 50% rate, with the council's letter. */
function workingWellTogether(): BidFields {
  return {
    title: 'Working Well Together',
    summary:
      'A Derby partnership joining talking therapies, employer brokerage and skills so that people with health conditions get into and stay in work.',
    startDate: '2027-04-01',
    endDate: '2029-09-30',
    geography: ['Derby'],
    narrative,
    partners: [
      {
        name: 'Working Well Derby Consortium',
        type: 'vcs',
        role: 'lead',
        charityNumber: '1190001',
        esfPence: 40_000_000,
        matchPence: 30_000_000,
      },
      {
        name: 'Derby Community College',
        type: 'education',
        role: 'delivery',
        companyNumber: '11900003',
        esfPence: 20_000_000,
        matchPence: 30_000_000,
      },
    ],
    priorities: [
      { code: '1.1', esfPence: 45_000_000 },
      { code: '2.1', esfPence: 15_000_000 },
    ],
    totalEligibleCostPence: 120_000_000,
    matchFunding: [
      { funder: 'Derby City Council', sector: 'public', kind: 'cash', amountPence: 40_000_000, status: 'secured' },
      {
        funder: 'Volunteer mentors (time)',
        sector: 'private',
        kind: 'in_kind',
        amountPence: 20_000_000,
        status: 'pending',
      },
    ],
    outputTargets: [
      { indicator: 'P-TOTAL', target: 600 },
      { indicator: 'P-UNEMP', target: 250 },
      { indicator: 'P-INACT', target: 300 },
      { indicator: 'P-DISAB', target: 240 },
      { indicator: 'P-NOBASIC', target: 120 },
    ],
    resultTargets: [
      { indicator: 'R-UNEMP-EMP', target: 90 },
      { indicator: 'R-INACT-EMPJS', target: 110 },
      { indicator: 'R-BASIC', target: 80 },
    ],
    gapClaims: [
      { gapCode: 'GAP-NEED', narrative: 'No service in Derby joins talking therapies with employment support.' },
      {
        gapCode: 'GAP-GROUPS',
        narrative: 'Targets people with lower-level mental health conditions and disabled people.',
      },
    ],
  };
}

/** The bid that fails the floor: one priority, £450,000 ESF, from a partnership too small for the call. */
function nottsStepsIntoWork(): BidFields {
  return {
    title: 'Steps into Work Nottinghamshire',
    summary:
      'Mentoring and work trials for people on sickness absence and newly unemployed people in Mansfield and Ashfield.',
    startDate: '2027-05-01',
    endDate: '2029-04-30',
    geography: ['Nottinghamshire'],
    narrative: {
      ...narrative,
      need: 'Support cold spots for newly unemployed people and ESA claimants found fit for work (section 7.3).',
    },
    partners: [
      {
        name: 'Nottinghamshire Pathways Partnership',
        type: 'vcs',
        role: 'lead',
        charityNumber: '1190002',
        esfPence: 45_000_000,
        matchPence: 45_000_000,
      },
    ],
    priorities: [{ code: '1.4', esfPence: 45_000_000 }],
    totalEligibleCostPence: 90_000_000,
    matchFunding: [
      {
        funder: 'Nottinghamshire County Council',
        sector: 'public',
        kind: 'cash',
        amountPence: 45_000_000,
        status: 'secured',
      },
    ],
    outputTargets: [
      { indicator: 'P-TOTAL', target: 400 },
      { indicator: 'P-UNEMP', target: 200 },
    ],
    resultTargets: [{ indicator: 'R-UNEMP-EMP', target: 70 }],
    gapClaims: [{ gapCode: 'GAP-GROUPS', narrative: 'Newly unemployed people and people on sickness absence.' }],
  };
}

/** A second passing bid spanning 1.4 and 2.1, so the ranking and funding plans have a choice to make. */
function healthyMindsAtWork(): BidFields {
  return {
    title: 'Healthy Minds at Work',
    summary:
      'Employment advisers in NHS talking-therapy teams across Nottingham and Nottinghamshire, with early help for people on sickness absence.',
    startDate: '2027-04-01',
    endDate: '2029-12-31',
    geography: ['Nottingham', 'Nottinghamshire'],
    narrative: {
      ...narrative,
      need: 'Employment support is not joined to IAPT talking therapies; people on sickness absence get no early help (sections 7.3 and 7.4).',
    },
    partners: [
      {
        name: 'Nottinghamshire Pathways Partnership',
        type: 'vcs',
        role: 'lead',
        charityNumber: '1190002',
        esfPence: 35_000_000,
        matchPence: 30_000_000,
      },
      {
        name: 'Notts Talking Therapies NHS Partnership',
        type: 'health',
        role: 'delivery',
        esfPence: 25_000_000,
        matchPence: 30_000_000,
      },
    ],
    priorities: [
      { code: '1.4', esfPence: 40_000_000 },
      { code: '2.1', esfPence: 20_000_000 },
    ],
    totalEligibleCostPence: 120_000_000,
    matchFunding: [
      {
        funder: 'Nottingham and Nottinghamshire ICB',
        sector: 'public',
        kind: 'cash',
        amountPence: 45_000_000,
        status: 'secured',
      },
      {
        funder: 'Nottinghamshire County Council',
        sector: 'public',
        kind: 'in_kind',
        amountPence: 15_000_000,
        status: 'secured',
      },
    ],
    outputTargets: [
      { indicator: 'P-TOTAL', target: 700 },
      { indicator: 'P-INACT', target: 350 },
      { indicator: 'P-DISAB', target: 280 },
    ],
    resultTargets: [
      { indicator: 'R-INACT-EMPJS', target: 140 },
      { indicator: 'R-EMP6M', target: 120 },
    ],
    gapClaims: [
      { gapCode: 'GAP-SYSTEM', narrative: 'Joins referral routes between talking therapies and employment support.' },
      { gapCode: 'GAP-SUSTAIN', narrative: 'Early help during sickness absence keeps people in work.' },
    ],
  };
}

/** Makes the demo bids on the call. */
export async function loadDemoBids(
  ctx: AppContext,
  callId: string,
  applicants: { wellDerby: Actor; nottsPathways: Actor },
): Promise<void> {
  const passing = await createBid(ctx, applicants.wellDerby, callId, {});
  const letterBytes = demoLetter('Derby City Council commits GBP 400,000 cash match funding to Working Well Together.');
  const letter = await addAttachment(
    ctx,
    applicants.wellDerby,
    passing.bid.id,
    {
      filename: 'derby-city-council-match-letter.pdf',
      contentType: 'application/pdf',
      sizeBytes: letterBytes.length,
      sha256: sha256Hex(letterBytes),
      bytes: letterBytes,
    },
    'match-evidence',
  );
  const fields = workingWellTogether();
  fields.matchFunding![0].evidenceAttachmentId = letter.id;
  await replaceBid(ctx, applicants.wellDerby, passing.bid.id, fields);
  await submitBid(ctx, applicants.wellDerby, passing.bid.id);

  const second = await createBid(ctx, applicants.nottsPathways, callId, healthyMindsAtWork());
  await submitBid(ctx, applicants.nottsPathways, second.bid.id);

  const belowFloor = await createBid(ctx, applicants.nottsPathways, callId, nottsStepsIntoWork());
  await submitBid(ctx, applicants.nottsPathways, belowFloor.bid.id);

  await createBid(ctx, applicants.nottsPathways, callId, {
    title: 'Healthy Workplaces Bassetlaw (draft)',
    summary: 'Early help for employees on sickness absence in small firms.',
    priorities: [{ code: '1.4', esfPence: 30_000_000 }],
  });
}
