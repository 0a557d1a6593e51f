import type { ReactNode } from "react";
import type { AppStatus } from "../../../shared/ipc/model";
import { statusLabel } from "../format";

export function SectionHeader({
  title,
  description,
  actions,
}: {
  title: string;
  description: string;
  actions?: ReactNode;
}) {
  return (
    <header className="section-header">
      <div>
        <h1>{title}</h1>
        <p className="muted">{description}</p>
      </div>
      {actions && <div className="section-actions">{actions}</div>}
    </header>
  );
}

export function Card({
  title,
  children,
  className,
  testId,
}: {
  title?: string;
  children: ReactNode;
  className?: string;
  testId?: string;
}) {
  return (
    <section className={`card ${className ?? ""}`} aria-label={title} data-testid={testId}>
      {title && <h2 className="card-title">{title}</h2>}
      {children}
    </section>
  );
}

export function StatusBadge({ status }: { status: AppStatus }) {
  return (
    <span className={`badge badge-${status}`} data-testid="status-badge" data-status={status}>
      <span className="dot" aria-hidden="true" />
      {statusLabel[status]}
    </span>
  );
}

export function Pill({ tone, children }: { tone: "ok" | "warn" | "bad" | "busy" | "neutral"; children: ReactNode }) {
  return <span className={`pill pill-${tone}`}>{children}</span>;
}

/** Label/value pairs as a description list. */
export function Facts({ items }: { items: [label: string, value: ReactNode][] }) {
  return (
    <dl className="facts">
      {items.map(([label, value]) => (
        <div key={label} className="fact">
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="muted" role="status">
      Loading {what}…
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

/** A table's column headings (a cell may be a node, e.g. a heading only screen readers hear). */
export function ColumnHeads({ columns }: { columns: ReactNode[] }) {
  return (
    <thead>
      <tr>
        {columns.map((column, index) => (
          <th scope="col" key={index}>
            {column}
          </th>
        ))}
      </tr>
    </thead>
  );
}
