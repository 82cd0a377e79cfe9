/**
 * The accounts an organization audit covers: every ACTIVE account `organizations:ListAccounts`
 * returns (all pages), or those under the `--ou` OUs and roots at any depth, narrowed by
 * `--accounts` and `--exclude-accounts`. Only the management account or a delegated administrator
 * may list them (Organizations API reference, ListAccounts).
 */
import {
  paginateListAccounts,
  paginateListAccountsForParent,
  paginateListOrganizationalUnitsForParent,
  type Account,
  type OrganizationsClient,
} from '@aws-sdk/client-organizations';

import { boundedPages } from '../rule/bounded-pages';
import { ACCOUNT_ID_PATTERN } from '../rule/aws-name-patterns';
import type { OrganizationSelection } from './options';
import { AuditError } from './audit-error';

/** One account to audit. */
export interface OrganizationAccount {
  /** The 12-digit account ID. */
  readonly id: string;
  /** The account's name, when Organizations gives one. */
  readonly name?: string;
}

/** `--accounts` named an account the organization (or the `--ou` subtree) does not hold as ACTIVE. */
export class AccountNotInOrganizationError extends AuditError {
  public override readonly name = 'AccountNotInOrganizationError';

  /** @param accountIds - the accounts named but not found */
  public constructor(public readonly accountIds: readonly string[]) {
    super(
      `--accounts: ${accountIds.join(', ')} ${accountIds.length > 1 ? 'are not ACTIVE accounts' : 'is not an ACTIVE account'} of the organization (or not under --ou); nothing was scanned`,
    );
  }
}

/**
 * Organizations listed an account whose `Id` is not 12 digits. Such an ID cannot name a role ARN, and
 * could carry anything into the output, so nothing is scanned; the value itself is not repeated.
 */
export class MalformedAccountIdError extends AuditError {
  public override readonly name = 'MalformedAccountIdError';

  /** @param count - how many listed IDs were not 12 digits */
  public constructor(public readonly count: number) {
    super(
      `Organizations listed ${count} account(s) whose Id is not a 12-digit account ID; nothing was scanned, as such an ID cannot name the role to assume.`,
    );
  }
}

// ListAccounts and ListAccountsForParent accept at most 20 a page (botocore organizations model, MaxResults).
const PAGE_SIZE = 20;

// Organizations may return a page shorter than asked, even empty, with a NextToken: every page is
// followed until none, through boundedPages, so a token that repeats ends the listing with an error.
async function allPages<Page extends { NextToken?: string }, T>(
  operation: string,
  pages: AsyncIterable<Page>,
  itemsOf: (page: Page) => readonly T[] | undefined,
): Promise<T[]> {
  const items: T[] = [];
  for await (const page of boundedPages(pages, { operation, nextTokenOf: (p) => p.NextToken })) {
    items.push(...(itemsOf(page) ?? []));
  }
  return items;
}

/** An account is audited when ACTIVE; `State` replaced `Status`, which was retired on 9 September 2026. */
function isActive(account: Account): boolean {
  return (account.State ?? account.Status) === 'ACTIVE';
}

async function accountsUnder(organizations: OrganizationsClient, parentId: string): Promise<Account[]> {
  const config = { client: organizations, pageSize: PAGE_SIZE };
  const [accounts, children] = await Promise.all([
    allPages(
      'ListAccountsForParent',
      paginateListAccountsForParent(config, { ParentId: parentId }),
      (page) => page.Accounts,
    ),
    allPages(
      'ListOrganizationalUnitsForParent',
      paginateListOrganizationalUnitsForParent(config, { ParentId: parentId }),
      (page) => page.OrganizationalUnits,
    ),
  ]);
  const nested = await Promise.all(
    children.filter((ou) => ou.Id !== undefined).map((ou) => accountsUnder(organizations, ou.Id as string)),
  );
  return [...accounts, ...nested.flat()];
}

/**
 * Lists the accounts to audit.
 *
 * @param organizations - an Organizations client with the caller's credentials
 * @param selection - `--accounts`, `--exclude-accounts`, `--ou`
 * @returns the ACTIVE accounts selected, each once, in the order Organizations listed them
 * @throws AccountNotInOrganizationError when `--accounts` names one that is not listed as ACTIVE
 * @throws MalformedAccountIdError when an account's Id is not 12 digits
 */
export async function listOrganizationAccounts(
  organizations: OrganizationsClient,
  selection: Omit<OrganizationSelection, 'roleName'>,
): Promise<OrganizationAccount[]> {
  const listed =
    selection.organizationalUnits === undefined
      ? await allPages(
          'ListAccounts',
          paginateListAccounts({ client: organizations, pageSize: PAGE_SIZE }, {}),
          (page) => page.Accounts,
        )
      : (
          await Promise.all(selection.organizationalUnits.map((id) => accountsUnder(organizations, id)))
        ).flat();
  const malformed = listed.filter((a) => a.Id === undefined || !ACCOUNT_ID_PATTERN.test(a.Id)).length;
  if (malformed > 0) throw new MalformedAccountIdError(malformed);
  const seen = new Set<string>();
  const active: OrganizationAccount[] = [];
  for (const account of listed) {
    if (account.Id === undefined || !isActive(account) || seen.has(account.Id)) continue;
    seen.add(account.Id);
    active.push({ id: account.Id, ...(account.Name === undefined ? {} : { name: account.Name }) });
  }
  if (selection.accounts !== undefined) {
    const missing = selection.accounts.filter((id) => !seen.has(id));
    if (missing.length > 0) throw new AccountNotInOrganizationError(missing);
  }
  return active.filter(
    (a) =>
      (selection.accounts === undefined || selection.accounts.includes(a.id)) &&
      !selection.excludeAccounts.includes(a.id),
  );
}
