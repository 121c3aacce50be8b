import { generateKeyPairSync } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";

/** A person the loopback identity provider knows. */
export interface IdpAccount {
  sub: string;
  email: string;
  name: string;
}

/** A real OpenID Connect provider (the `oidc-provider` package) on 127.0.0.1, for tests. */
export interface LoopbackIdp {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Who signs in at the provider's next login prompt (the test's stand-in for a login form). */
  signInAs(account: IdpAccount): void;
  close(): Promise<void>;
}

/**
 * Starts the provider with one confidential client (code flow, client_secret_basic) whose redirect
 * URIs are given. The login and consent prompts are answered through oidc-provider's interaction API
 * (interactionDetails / interactionFinished) as the account chosen by `signInAs`: the provider itself
 * issues the code, the tokens and the signed ID token, and checks PKCE and the client secret.
 */
export async function startLoopbackIdp(redirectUris: string[]): Promise<LoopbackIdp> {
  const accounts = new Map<string, IdpAccount>();
  let next: IdpAccount | null = null;
  const clientId = "tenure-test";
  const clientSecret = "idp-client-secret-4b6f0d9e2c";
  const jwk = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" });

  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: redirectUris,
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    jwks: { keys: [{ ...jwk, kid: "test-key", use: "sig", alg: "RS256" }] },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    features: { devInteractions: { enabled: false } },
    pkce: { required: () => true },
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      IdToken: 600,
      Interaction: 600,
      Session: 600,
      Grant: 600,
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx, sub) => {
      const account = accounts.get(sub);
      if (account === undefined) return undefined;
      return {
        accountId: sub,
        claims: () => ({ sub, email: account.email, email_verified: true, name: account.name }),
      };
    },
  });
  const callback = provider.callback();
  server.on("request", (req, res) => {
    if (!req.url?.startsWith("/interaction/")) {
      callback(req, res);
      return;
    }
    void (async () => {
      const details = await provider.interactionDetails(req, res);
      if (details.prompt.name === "login") {
        if (next === null) throw new Error("the test did not say who signs in at the provider");
        accounts.set(next.sub, next);
        await provider.interactionFinished(req, res, { login: { accountId: next.sub } });
        return;
      }
      // consent: grant what the client asked for
      const accountId = details.session?.accountId ?? "";
      const grant = new provider.Grant({ accountId, clientId });
      const scope = details.params.scope;
      if (typeof scope === "string") grant.addOIDCScope(scope);
      await provider.interactionFinished(
        req,
        res,
        { consent: { grantId: await grant.save() } },
        { mergeWithLastSubmission: true },
      );
    })().catch((err: unknown) => {
      res.statusCode = 500;
      res.end(String(err));
    });
  });
  return {
    issuer,
    clientId,
    clientSecret,
    signInAs(account) {
      next = account;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
