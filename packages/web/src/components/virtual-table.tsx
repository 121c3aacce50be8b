import { type ReactNode, useEffect, useRef, useState } from "react";

/** One column of a VirtualTable. */
export interface VirtualColumn<T> {
  key: string;
  header: ReactNode;
  /** CSS width of the column (the table uses a fixed layout so columns do not jump while scrolling). */
  width: string;
  numeric?: boolean;
  /** Set when the column can be sorted; clicking the header calls onSort with it. */
  sortKey?: string;
  render: (row: T) => ReactNode;
}

interface VirtualTableProps<T> {
  rows: readonly T[];
  columns: readonly VirtualColumn<T>[];
  rowKey: (row: T) => string;
  /** Extra attributes for each <tr> (data-account-id, ...). */
  rowProps?: (row: T) => Record<string, string | number | undefined>;
  /** Visible height of the scroll area in pixels. */
  height?: number;
  rowHeight?: number;
  sort?: { key: string; order: "asc" | "desc" };
  onSort?: (key: string) => void;
  caption: string;
  testId?: string;
}

const OVERSCAN = 8;

/**
 * A table that renders only the rows in view (fixed row height, spacer rows above and below), so
 * thousands of accounts scroll smoothly without a windowing dependency.
 */
export function VirtualTable<T>({
  rows,
  columns,
  rowKey,
  rowProps,
  height = 600,
  rowHeight = 40,
  sort,
  onSort,
  caption,
  testId,
}: VirtualTableProps<T>) {
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);

  // A new row set (filter, sort) starts at the top.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the rows change, by design
  useEffect(() => {
    if (scroller.current) scroller.current.scrollTop = 0;
    setScrollTop(0);
  }, [rows]);

  const viewport = Math.min(height, Math.max(rows.length, 1) * rowHeight + rowHeight);
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scrollTop + viewport) / rowHeight) + OVERSCAN);
  const visible = rows.slice(first, last);
  const before = first * rowHeight;
  const after = (rows.length - last) * rowHeight;

  return (
    <div
      ref={scroller}
      className="virtual-scroll"
      style={{ height: viewport }}
      onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
      data-testid={testId}
      data-total={rows.length}
    >
      <table className="table virtual-table">
        <caption className="visually-hidden">{caption}</caption>
        <colgroup>
          {columns.map((column) => (
            <col key={column.key} style={{ width: column.width }} />
          ))}
        </colgroup>
        <thead>
          <tr>
            {columns.map((column) => {
              const active = sort && column.sortKey === sort.key;
              const ariaSort = active ? (sort.order === "asc" ? "ascending" : "descending") : undefined;
              return (
                <th
                  key={column.key}
                  scope="col"
                  className={column.numeric ? "num" : undefined}
                  aria-sort={ariaSort}
                >
                  {column.sortKey && onSort ? (
                    <button
                      type="button"
                      className="sort-button"
                      onClick={() => onSort(column.sortKey as string)}
                      data-testid={`sort-${column.sortKey}`}
                      data-active={active ? sort.order : undefined}
                    >
                      {column.header}
                      <span aria-hidden="true" className="sort-arrow">
                        {active ? (sort.order === "asc" ? "▲" : "▼") : "↕"}
                      </span>
                    </button>
                  ) : (
                    column.header
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {before > 0 ? (
            <tr className="virtual-spacer">
              <td colSpan={columns.length} style={{ height: before }} />
            </tr>
          ) : null}
          {visible.map((row, i) => (
            <tr
              key={rowKey(row)}
              style={{ height: rowHeight }}
              data-row-index={first + i}
              {...rowProps?.(row)}
            >
              {columns.map((column) => (
                <td key={column.key} className={column.numeric ? "num" : undefined}>
                  {column.render(row)}
                </td>
              ))}
            </tr>
          ))}
          {after > 0 ? (
            <tr className="virtual-spacer">
              <td colSpan={columns.length} style={{ height: after }} />
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}
