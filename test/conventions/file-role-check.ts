import { FILE_ROLES, SUFFIX_ALLOWLIST } from './file-roles';

const PORT_FILE = /(?:^|\/)([a-z0-9-]+)\.port\.ts$/;
const SOURCE_FILE = /\.tsx?$/;

/** The role of a file: the last dotted part of its name, or undefined for `<subject>.ts`. */
export function roleOf(path: string): string | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1).replace(SOURCE_FILE, '');
  const dot = name.lastIndexOf('.');
  return dot < 0 ? undefined : name.slice(dot + 1);
}

/** Each `<port>.port.ts` makes `<technology>.<port>.ts` an adapter's name. */
export function portNamesIn(paths: readonly string[]): Set<string> {
  const ports = new Set<string>();
  for (const path of paths) {
    const match = PORT_FILE.exec(path);
    if (match) ports.add(match[1]);
  }
  return ports;
}

export interface RoleCheck {
  /** `path (role "x")` for each source file whose role is neither listed nor allowlisted. */
  unlisted: string[];
  /** Allowlist entries whose file no longer exists (or no longer needs the entry). */
  stale: string[];
}

export function checkFileRoles(
  paths: readonly string[],
  allowlist: readonly string[] = SUFFIX_ALLOWLIST,
): RoleCheck {
  const sources = paths.filter((path) => SOURCE_FILE.test(path) && !path.endsWith('.d.ts'));
  const ports = portNamesIn(sources);
  const allowed = new Set(allowlist);
  const isListed = (role: string) => role in FILE_ROLES || ports.has(role);
  const unlisted: string[] = [];
  for (const path of sources) {
    const role = roleOf(path);
    if (role !== undefined && !isListed(role) && !allowed.has(path)) {
      unlisted.push(`${path} (role "${role}")`);
    }
  }
  const present = new Set(sources);
  const stale = allowlist.filter((path) => {
    const role = roleOf(path);
    return !present.has(path) || role === undefined || isListed(role);
  });
  return { unlisted, stale };
}
