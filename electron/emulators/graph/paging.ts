// Server-driven paging for collection endpoints: the first call fixes the result set and the
// projection; each page's @odata.nextLink carries an opaque $skiptoken for the next slice.
// A skiptoken stays valid when re-used, so a client can retry a page after a 429.

import { badRequest } from "./errors";
import { TokenRegistry } from "./registry";
import { ok, type Ctx, type Reply } from "./router";

interface Listing {
  items: readonly unknown[];
  top: number;
  render: (item: unknown) => unknown;
  context: string;
  path: string;
}

interface PagePosition {
  listing: Listing;
  offset: number;
}

export class Pager {
  private readonly positions = new TokenRegistry<PagePosition>();

  /** Answers a page: a continuation when the request carries $skiptoken, else the first page of `first()`. */
  respond<T>(
    ctx: Ctx,
    first: () => { items: readonly T[]; top: number; render: (item: T) => unknown; context: string },
  ): Reply {
    const skip = ctx.query("skiptoken");
    if (skip !== undefined) {
      const pos = this.positions.get(skip);
      if (!pos) throw badRequest("The $skiptoken is invalid or has expired. Start again from the first page.");
      return this.page(ctx, pos);
    }
    const f = first();
    const listing: Listing = {
      items: f.items,
      top: f.top,
      render: f.render as (item: unknown) => unknown,
      context: f.context,
      path: ctx.url.pathname,
    };
    return this.page(ctx, { listing, offset: 0 });
  }

  private page(ctx: Ctx, { listing, offset }: PagePosition): Reply {
    const end = offset + listing.top;
    const value = listing.items
      .slice(offset, end)
      .map(listing.render)
      .filter((v) => v !== undefined);
    const body: Record<string, unknown> = { "@odata.context": listing.context };
    if (end < listing.items.length) {
      const token = this.positions.issue({ listing, offset: end });
      body["@odata.nextLink"] = `${ctx.baseUrl}${listing.path}?$skiptoken=${token}`;
    }
    body.value = value;
    return ok(body);
  }
}
