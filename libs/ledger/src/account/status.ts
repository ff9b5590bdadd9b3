import { AccountStatus, BalanceMinor } from './account';
import { AccountErrorCode } from './account-errors';
import { isEmpty } from './balance';

const STATUSES: readonly AccountStatus[] = ['active', 'frozen', 'closed'];

/** Why `from -> to` is not allowed, or null. Closing needs an empty account so no money is stranded. */
export function statusChangeError(
  from: AccountStatus,
  to: AccountStatus,
  balance: BalanceMinor,
): AccountErrorCode | null {
  if (!STATUSES.includes(to)) return 'STATUS_INVALID';
  if (from === to) return null;
  if (from === 'closed') return 'ACCOUNT_CLOSED';
  if (to === 'closed' && !isEmpty(balance)) return 'ACCOUNT_NOT_EMPTY';
  return null;
}
