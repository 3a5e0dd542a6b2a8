/**
 * Type-checks fixture files as a user's strict NodeNext project would, against the BUILT
 * declarations of the packages they import (.d.ts under CommonJS resolution, .d.mts under ESM).
 */
import ts from 'typescript';

/** A program of `files` (absolute paths) with a strict user's compiler options. */
export function userProgram(files: string[]): ts.Program {
  return ts.createProgram(files, {
    strict: true,
    noEmit: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    types: ['node'],
    esModuleInterop: true,
    skipLibCheck: false,
    noUncheckedIndexedAccess: true,
  });
}

/** The program's diagnostics in files whose path contains one of `under`, or in no file. */
export function diagnosticsUnder(program: ts.Program, under: string[]): ts.Diagnostic[] {
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => !d.file || under.some((part) => d.file!.fileName.includes(part)));
}
