// The Swagger UI files the role pages load, served by this server from the installed
// `swagger-ui-dist` package, so the pages work without access to the internet.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Where the pages expect the assets: the server mounts `GET <prefix><file>` for the files of
 * `SWAGGER_UI_ASSET_FILES`. One prefix for all applications, so browsers cache the bundle once.
 */
export const SWAGGER_UI_ASSETS_PREFIX = '/static/swagger-ui/';

/** The files a page needs (and their source maps, which browser tools ask for), with their types. */
export const SWAGGER_UI_ASSET_FILES: Readonly<Record<string, string>> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-16x16.png': 'image/png',
  'favicon-32x32.png': 'image/png',
  'swagger-ui.css.map': 'application/json',
  'swagger-ui-bundle.js.map': 'application/json',
};

let assetsDir: string | undefined;

/** The absolute folder of the installed `swagger-ui-dist` package. */
export function swaggerUiAssetsDir(): string {
  assetsDir ??= dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  return assetsDir;
}

export interface SwaggerUiAsset {
  /** Absolute path of the file to send. */
  readonly path: string;
  readonly contentType: string;
}

/**
 * The asset for a file name taken from the URL (the part after the prefix); undefined (answer 404)
 * for any other name, so a request can never reach another file of the package or the disk.
 */
export function swaggerUiAsset(fileName: string): SwaggerUiAsset | undefined {
  if (!Object.hasOwn(SWAGGER_UI_ASSET_FILES, fileName)) return undefined;
  const contentType = SWAGGER_UI_ASSET_FILES[fileName];
  if (contentType === undefined) return undefined;
  return { path: join(swaggerUiAssetsDir(), fileName), contentType };
}
