/**
 * The accounts an organization audit covers: every ACTIVE account `organizations:ListAccounts`
 * returns (all pages), or those under the `--ou` OUs and roots at any depth, narrowed by
 * `--accounts` and `--exclude-accounts`. Only the management account or a delegated administrator
 * may list them (Organizations API reference, ListAccounts).
 */
import {
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  type Account,
  type OrganizationsClient,
} from '@aws-sdk/client-organizations';

import type { OrganizationSelection } from './options';

/** One account to audit. */
export interface OrganizationAccount {
  /** The 12-digit account ID. */
  readonly id: string;
  /** The account's name, when Organizations gives one. */
  readonly name?: string;
}

/** `--accounts` named an account the organization (or the `--ou` subtree) does not hold as ACTIVE. */
export class AccountNotInOrganizationError extends Error {
  public override readonly name = 'AccountNotInOrganizationError';

  /** @param accountIds - the accounts named but not found */
  public constructor(public readonly accountIds: readonly string[]) {
    super(
      `--accounts: ${accountIds.join(', ')} ${accountIds.length > 1 ? 'are not ACTIVE accounts' : 'is not an ACTIVE account'} of the organization (or not under --ou); nothing was scanned`,
    );
  }
}

// ListAccounts and ListAccountsForParent accept at most 20 a page (botocore organizations model, MaxResults).
const PAGE_SIZE = 20;

async function allPages<T>(fetch: (nextToken: string | undefined) => Promise<{ items: T[]; next?: string }>) {
  const items: T[] = [];
  let nextToken: string | undefined;
  do {
    // Organizations may return a page shorter than asked, even empty, with a NextToken: follow it until none.
    const page = await fetch(nextToken);
    items.push(...page.items);
    nextToken = page.next;
  } while (nextToken);
  return items;
}

/** An account is audited when ACTIVE; `State` replaced `Status`, which was retired on 9 September 2026. */
function isActive(account: Account): boolean {
  return (account.State ?? account.Status) === 'ACTIVE';
}

async function accountsUnder(organizations: OrganizationsClient, parentId: string): Promise<Account[]> {
  const [accounts, children] = await Promise.all([
    allPages(async (NextToken) => {
      const page = await organizations.send(
        new ListAccountsForParentCommand({ ParentId: parentId, MaxResults: PAGE_SIZE, NextToken }),
      );
      return { items: page.Accounts ?? [], ...(page.NextToken ? { next: page.NextToken } : {}) };
    }),
    allPages(async (NextToken) => {
      const page = await organizations.send(
        new ListOrganizationalUnitsForParentCommand({ ParentId: parentId, MaxResults: PAGE_SIZE, NextToken }),
      );
      return { items: page.OrganizationalUnits ?? [], ...(page.NextToken ? { next: page.NextToken } : {}) };
    }),
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
 */
export async function listOrganizationAccounts(
  organizations: OrganizationsClient,
  selection: Omit<OrganizationSelection, 'roleName'>,
): Promise<OrganizationAccount[]> {
  const listed =
    selection.organizationalUnits === undefined
      ? await allPages(async (NextToken) => {
          const page = await organizations.send(
            new ListAccountsCommand({ MaxResults: PAGE_SIZE, NextToken }),
          );
          return { items: page.Accounts ?? [], ...(page.NextToken ? { next: page.NextToken } : {}) };
        })
      : (
          await Promise.all(selection.organizationalUnits.map((id) => accountsUnder(organizations, id)))
        ).flat();
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
