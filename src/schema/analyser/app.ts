// The application: package local names, the APPLICATION statement, imports.
import type { ApplicationStmt, ImportStmt } from '../ast.js';
import { errorNoPos } from '../errors.js';
import { SYS_PACKAGE } from '../package-ast.js';
import { basename, type Ctx, couldNotImport, type Pkg, qualifiedPackageName } from './model.js';
import type { Resolver } from './resolve.js';

/** The same import path must get the same local name in every package of the application. */
export function localNameRedeclarations(r: Resolver): void {
  const localNames = new Map<string, string>();
  for (const pkg of r.a.packages) {
    for (const imp of pkg.ast.imports) {
      const local = imp.alias ?? basename(imp.path);
      const known = localNames.get(imp.path);
      if (known === undefined) localNames.set(imp.path, local);
      else if (known !== local) {
        r.err(imp.pos, `local package name ${known} was redeclared as ${local}`);
      }
    }
  }
}

/** Finds the one APPLICATION and gives every package its local name from the USE clauses. */
export function defineApp(r: Resolver): void {
  let app: ApplicationStmt | undefined;
  let appPkg: Pkg | undefined;
  for (const pkg of r.a.packages) {
    let found: ApplicationStmt | undefined;
    for (const s of pkg.ast.statements) {
      if (s.kind !== 'Application') continue;
      if (found !== undefined) {
        r.err(s.pos, 'redefinition of application');
        return;
      }
      found = s;
    }
    if (found !== undefined) {
      if (app !== undefined) {
        r.err(found.pos, 'redefinition of application');
        return;
      }
      app = found;
      appPkg = pkg;
    }
  }
  if (app === undefined || appPkg === undefined) {
    r.errors.push(errorNoPos('application not defined'));
    return;
  }
  r.a.appName = app.name;
  appPkg.name = basename(appPkg.path);
  const names = new Set<string>([appPkg.name]);
  for (const use of app.uses) {
    if (names.has(use.value)) {
      r.err(use.pos, 'package with the same name already included in application');
      continue;
    }
    names.add(use.value);
    const path = qualifiedPackageName(use.value, appPkg.ast.imports);
    if (path === '') {
      r.err(use.pos, `${use.value} undefined`);
      continue;
    }
    const pkg = r.a.byPath.get(path);
    if (pkg === undefined) {
      r.err(use.pos, couldNotImport(path));
      continue;
    }
    pkg.name = use.value;
  }
  for (const pkg of r.a.packages) {
    if (pkg.path === SYS_PACKAGE) {
      pkg.name = SYS_PACKAGE;
      continue;
    }
    if (pkg.name === '') {
      r.errors.push(
        errorNoPos(
          `application does not define use of package ${pkg.path}. Check if the package is defined in IMPORT SCHEMA and parsed under the same name`,
        ),
      );
      continue;
    }
    r.a.localNameToFullPath.set(pkg.name, pkg.path);
  }
}

export function analyseImport(r: Resolver, imp: ImportStmt, c: Ctx): void {
  const local = imp.alias ?? basename(imp.path);
  if (!/^(?:[a-zA-Z]\w{0,254}|"[a-zA-Z]\w{0,254}")$/.test(local)) {
    r.err(imp.pos, `invalid local package name ${local}`);
    return;
  }
  if (local === c.pkg.name) {
    r.err(imp.pos, `conflict: local package name ${local} equal to current package name`);
    return;
  }
  const used = c.pkg.localNameToPkgPath.get(local);
  if (used !== undefined) {
    if (used !== imp.path) r.err(imp.pos, `local package name ${local} already used for ${used}`);
  } else {
    c.pkg.localNameToPkgPath.set(local, imp.path);
  }
}
