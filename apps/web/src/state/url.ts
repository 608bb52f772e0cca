/** Scenario state in the URL hash: `#/page?key=value&…`, so a copied link reproduces the page exactly. */
export interface Route {
  readonly page: string;
  readonly params: Record<string, string>;
}

export function parseHash(hash: string): Route {
  const [path = "", query = ""] = hash.replace(/^#\/?/, "").split("?");
  return { page: path || "train", params: Object.fromEntries(new URLSearchParams(query)) };
}

export function toHash(route: Route): string {
  const q = new URLSearchParams(Object.entries(route.params).filter(([, v]) => v !== "" && v !== undefined)).toString();
  return `#/${route.page}${q ? `?${q}` : ""}`;
}
