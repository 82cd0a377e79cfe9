import { readFile } from 'node:fs/promises';
import type { Plugin } from 'esbuild';

// `const _xN = "xmlName";`: the short names an SDK schema module gives its trait and member names.
const STRING_CONSTANT = /^const (_\w+) = ("(?:[^"\\\n]|\\.)*");$/gm;
// `[_xN]:` : a computed object key naming one of those constants.
const COMPUTED_KEY = /\[(_\w+)\]:/g;

/**
 * Rewrites computed keys of the AWS SDK's generated schema modules (`{ [_xN]: "..." }`) into the string
 * literals they stand for (`{ ["xmlName"]: "..." }`).
 *
 * esbuild may only drop a top-level statement it can prove free of side effects, and a computed key
 * naming a variable is not (the variable could be an object with a `toString`). So every schema of a
 * query-protocol client such as EC2 (whose members carry XML-name traits) is kept, and the EC2 client
 * costs 1.5 MB and ~80 MB of memory to load. With literal keys the schemas the rule never sends are
 * tree-shaken away. The rewrite is exact: only keys naming a string constant of the same module change.
 *
 * @returns the esbuild plugin
 */
export function inlineSchemaKeysPlugin(): Plugin {
  return {
    name: 'inline-schema-keys',
    setup(build) {
      build.onLoad(
        { filter: /[\\/]@aws-sdk[\\/][^\\/]+[\\/]dist-es[\\/]schemas[\\/]schemas_\d+\.js$/ },
        async (args) => {
          const source = await readFile(args.path, 'utf8');
          const constants = new Map<string, string>();
          for (const [, name, literal] of source.matchAll(STRING_CONSTANT))
            constants.set(name as string, literal as string);
          const contents = source.replace(COMPUTED_KEY, (key, name: string) => {
            const literal = constants.get(name);
            return literal === undefined ? key : `[${literal}]:`;
          });
          return { contents, loader: 'js' };
        },
      );
    },
  };
}
