import type { ReactNode } from "react";

interface CardProps {
  title: string;
  subtitle?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  testId?: string;
  className?: string;
}

/** A titled dashboard panel. */
export function Card({ title, subtitle, actions, children, testId, className }: CardProps) {
  return (
    <section className={className ? `card ${className}` : "card"} data-testid={testId} aria-label={title}>
      <header className="card-header">
        <div>
          <h2 className="card-title">{title}</h2>
          {subtitle ? <p className="card-subtitle">{subtitle}</p> : null}
        </div>
        {actions ? <div className="card-actions">{actions}</div> : null}
      </header>
      <div className="card-body">{children}</div>
    </section>
  );
}
