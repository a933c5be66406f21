/** Where a connection stands; see the contract's Status table. */
export type Status = 'closed' | 'connecting' | 'open' | 'reconnecting' | 'closing' | 'failed';

export const statuses: readonly Status[] = ['closed', 'connecting', 'open', 'reconnecting', 'closing', 'failed'];
