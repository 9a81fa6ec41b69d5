/** The bid's documents section: uploads only, so it owns no field of the bid and its form reads nothing. */
import type { BidSection } from './section.ts';

export const documents: BidSection = {
  key: 'documents',
  title: 'Documents',
  owns: [],
  read: () => ({}),
  values: () => ({}),
  view: () => ({}),
};
