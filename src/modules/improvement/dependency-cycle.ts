/**
 * Actions may depend on other actions of the same plan ("start the survey once the new contract is let");
 * a circle of dependencies could never be delivered, so a save that would make one is refused. Pure.
 */

/**
 * The circle the action would close if it depended on `dependsOn`, as ids from the action back to itself
 * (e.g. [a, b, c, a]); undefined when there is none. `edges` are every other action's dependencies.
 */
export function dependencyCycle(
  actionId: string,
  dependsOn: readonly string[],
  edges: ReadonlyMap<string, readonly string[]>,
): string[] | undefined {
  const next = (id: string) => (id === actionId ? dependsOn : (edges.get(id) ?? []));
  const seen = new Set<string>();
  // Depth first from the action; the path to each node is kept so the circle can be named.
  const walk = (id: string, path: string[]): string[] | undefined => {
    for (const to of next(id)) {
      if (to === actionId) return [...path, to];
      if (seen.has(to)) continue;
      seen.add(to);
      const found = walk(to, [...path, to]);
      if (found) return found;
    }
    return undefined;
  };
  return walk(actionId, [actionId]);
}
