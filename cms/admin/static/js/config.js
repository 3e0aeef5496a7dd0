/**
 * The server's configuration for this page, embedded in the shell as JSON:
 * operation hashes, the GraphQL path, the CSRF header, the sign-out path, languages.
 * @type {{operations: Record<string, string>, graphqlPath: string, csrfHeader: string,
 *   signOutPath: string, languages: string[], lang: string,
 *   signInPath?: string}}
 */
export const config = JSON.parse(document.getElementById("cinq-config")?.textContent || "{}");

export const ADMIN = "/admin";
export const signInPath = config.signInPath || `${ADMIN}/sign-in`;
