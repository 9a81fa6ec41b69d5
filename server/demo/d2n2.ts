/**
 * The worked example: the D2N2 Health and Wellbeing call from the 2017 scoping report
 * (shared/reference/d2n2-hwb-esf-scoping-report-2017.txt): Figure 2's priorities and allocations,
 * Appendix B's participants and results, gap criteria from sections 4.1.2 and 7.3 and recommendation 5.
 */
import { CORE_CRITERIA } from '../calls/coreCriteria.ts';
import type { CallFields } from '../calls/types.ts';

const POUND = 100;

/** Where the call's words for a core criterion are its own (the D2N2 strategy and plans); the rest are the core's. */
const D2N2_GUIDANCE: Record<string, string> = {
  SF: 'Fit with the D2N2 ESIF strategy, the call and local health and employment plans.',
  VFM: 'Cost per participant and per result against the call, with credible targets.',
  MC: 'Governance of the partnership, financial controls, eligibility evidence and audit trail.',
};

/** The D2N2 call's fields, opening and closing at the given instants. */
export function d2n2HealthAndWellbeingCall(opensAt: Date, closesAt: Date, reference = 'OC08S17P0801'): CallFields {
  return {
    reference,
    title: 'Health and Wellbeing',
    lepArea: 'D2N2',
    description:
      'ESF for partnerships that help people with health conditions and disabilities into and on in work, and ' +
      'that develop the health and social care workforce, across Derby, Derbyshire, Nottingham and ' +
      'Nottinghamshire. A smaller number of larger bids formed around strategic partnerships is expected: ' +
      'bids may span priorities.',
    opensAt: opensAt.toISOString(),
    closesAt: closesAt.toISOString(),
    interventionRatePercent: 50,
    minProjectEsfPence: 500_000 * POUND,
    geography: ['Derby', 'Derbyshire', 'Nottingham', 'Nottinghamshire'],
    eligibleActivities: [
      'Personalised support to access and sustain work',
      'Holistic programmes that address multiple barriers',
      'Mini job matching for people with limited work capability',
      'Supported work and work trials',
      'Skills pathways into the health and social care workforce',
      'Early help for people on sickness absence',
    ],
    priorities: [
      {
        code: '1.1',
        title: 'Access to employment for job-seekers and inactive people',
        allocationPence: 800_000 * POUND,
        participantIndicators: [
          'P-TOTAL',
          'P-UNEMP',
          'P-INACT',
          'P-50PLUS',
          'P-ETHMIN',
          'P-DISAB',
          'P-NOBASIC',
          'P-SAHDC',
        ],
        resultIndicators: ['R-UNEMP-EMP', 'R-INACT-EMPJS', 'R-BASIC', 'R-CHILDCARE', 'R-EMP6M'],
      },
      {
        code: '1.4',
        title: 'Active inclusion',
        allocationPence: 800_000 * POUND,
        participantIndicators: ['P-TOTAL', 'P-UNEMP', 'P-INACT', 'P-50PLUS', 'P-ETHMIN', 'P-DISAB', 'P-OFFEND'],
        resultIndicators: ['R-EDTRAIN', 'R-UNEMP-EMP', 'R-INACT-EMPJS', 'R-CHILDCARE', 'R-EMP6M'],
      },
      {
        code: '2.1',
        title: 'Enhancing equal access to lifelong learning',
        allocationPence: 400_000 * POUND,
        participantIndicators: ['P-TOTAL', 'P-50PLUS', 'P-ETHMIN', 'P-DISAB', 'P-NOBASIC', 'P-SAHDC'],
        resultIndicators: ['R-BASIC', 'R-L2', 'R-L3', 'R-FEMALE-LMS'],
      },
    ],
    gapCriteria: [
      {
        code: 'GAP-NEED',
        title: 'Fills a genuine gap in provision or unmet need',
        guidance:
          'Section 4.1.2: the volume of existing provision means the programme should fund activity that fills a ' +
          'genuine gap or meets need that is not being met, and complements DWP and Department of Health ' +
          'activity rather than duplicating it.',
        weight: 3,
      },
      {
        code: 'GAP-SYSTEM',
        title: 'Tackles structural or system issues',
        guidance:
          'Sections 4.1.2 and 7.3: referral routes, employer commitment and support, key transitions and ' +
          'joined-up governance. Blended referrals from health, care, employment and other agencies ' +
          '(recommendation 5).',
        weight: 2,
      },
      {
        code: 'GAP-GROUPS',
        title: 'Reaches groups the current system serves poorly',
        guidance:
          'Section 7.3: people with common and lower-level mental health challenges; disabled people; young ' +
          'people with disabilities, learning disabilities and autism; people with multiple and complex ' +
          'needs; the newly unemployed, people on sickness absence and ESA claimants found fit for work.',
        weight: 2,
      },
      {
        code: 'GAP-SUSTAIN',
        title: 'Supports people into work and to stay in work',
        guidance:
          'Recommendation 5: individual and employer support together, support into work, in work and early help ' +
          'in the event of sickness absence, and work across the health and care sectors.',
        weight: 1,
      },
      {
        code: 'GAP-FUTURE',
        title: 'Anticipates the direction of travel',
        guidance:
          'Section 4.1.2: positions the D2N2 area to benefit from or influence future provision, such as the Work ' +
          "and Health Unit's programmes.",
        weight: 1,
      },
    ],
    appraisalCriteria: CORE_CRITERIA.map((criterion) => ({
      ...criterion,
      guidance: D2N2_GUIDANCE[criterion.code] ?? criterion.guidance,
    })),
  };
}
